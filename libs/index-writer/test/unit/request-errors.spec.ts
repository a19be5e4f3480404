import { errors } from '@opensearch-project/opensearch';
import type { ApiResponse } from '@opensearch-project/opensearch';
import { classifyRequestError } from '../../src/request-errors';

const response = (statusCode: number, body: unknown): ApiResponse =>
  ({ statusCode, body, headers: {}, warnings: null, meta: {} }) as unknown as ApiResponse;

describe('classifyRequestError', () => {
  it.each([
    [429, 'es_rejected_execution_exception'],
    [502, 'bad_gateway'],
    [503, 'unavailable_shards_exception'],
    [504, 'gateway_timeout'],
    [401, 'security_exception'],
  ])('treats a %i response as retryable, with the reason', (status, type) => {
    const error = new errors.ResponseError(response(status, { error: { type, reason: 'why' }, status }));
    expect(classifyRequestError(error)).toEqual({ kind: 'retryable', reason: `${status} ${type}: why` });
  });

  it('tells a 413 apart (the request must be split)', () => {
    const error = new errors.ResponseError(response(413, ''));
    expect(classifyRequestError(error)).toEqual({ kind: 'too-large', reason: '413 no error detail' });
  });

  it.each([
    ['a timeout', new errors.TimeoutError('Request timed out', response(0, null))],
    ['a connection error', new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200')],
    ['no living connections', new errors.NoLivingConnectionsError('none', response(0, null))],
  ])('treats %s as retryable', (_label, error) => {
    expect(classifyRequestError(error).kind).toBe('retryable');
  });

  it('rethrows errors that are not about the cluster or the network', () => {
    const bug = new TypeError('x is not a function');
    expect(() => classifyRequestError(bug)).toThrow(bug);
    expect(() => classifyRequestError(new errors.ConfigurationError('bad'))).toThrow('bad');
  });
});
