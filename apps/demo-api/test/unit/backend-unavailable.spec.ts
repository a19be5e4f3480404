import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { errors } from '@opensearch-project/opensearch';
import { DynamoItemStore } from '../../src/backends/dynamodb-item-store';
import { OpenSearchSearch } from '../../src/backends/opensearch-search';
import { BackendSyncStatus } from '../../src/backends/sync-status';
import { callBackend, unavailableReason } from '../../src/backends/unavailable';
import { BackendUnavailableError } from '../../src/errors';
import { anApp, closedPort, send } from '../helpers/factories';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('unavailableReason', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['a connect timeout', Object.assign(new Error('socket hang up'), { code: 'ETIMEDOUT' })],
    ['an AWS SDK timeout', Object.assign(new Error('Request timed out'), { name: 'TimeoutError' })],
    ['a 503 from an AWS API', Object.assign(new Error('Service Unavailable'), { $metadata: { httpStatusCode: 503 } })],
    ['an OpenSearch ConnectionError', new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200')],
    [
      'a refusal inside an AggregateError',
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:8000'), { code: 'ECONNREFUSED' })], ''),
    ],
    [
      'the AWS SDK text-only wrapper of a refusal',
      Object.assign(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:8000'), { $metadata: {} }),
    ],
    [
      'a refusal as the cause',
      new Error('request failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
    ],
  ])('recognises %s', (_case, error) => {
    // when
    const reason = unavailableReason(error);

    // then
    expect(reason).toEqual(expect.any(String));
  });

  it('recognises a missing index (the indexes are not created yet) and says which', () => {
    // given
    const error = Object.assign(new Error('index_not_found_exception'), {
      statusCode: 404,
      body: { error: { type: 'index_not_found_exception', reason: 'no such index [products]' } },
    });

    // when / then
    expect(unavailableReason(error)).toBe('no such index [products]');
  });

  it.each([
    ['a programming error', new TypeError('x is undefined')],
    [
      'a 400 from OpenSearch',
      Object.assign(new Error('parsing_exception'), { statusCode: 400, body: { error: { type: 'parsing_exception' } } }),
    ],
    [
      'a conditional check failure',
      Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    ['a non-error value', 'boom'],
  ])('does not mistake %s for an outage', (_case, error) => {
    expect(unavailableReason(error)).toBeUndefined();
  });

  it('callBackend wraps outages with the backend name and rethrows other errors unchanged', async () => {
    // given
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9324'), { code: 'ECONNREFUSED' });
    const bug = new RangeError('bug');

    // when
    const outage = callBackend('sqs', () => Promise.reject(refused));
    const other = callBackend('sqs', () => Promise.reject(bug));

    // then
    await expect(outage).rejects.toEqual(new BackendUnavailableError('sqs', 'connect ECONNREFUSED 127.0.0.1:9324'));
    await expect(other).rejects.toBe(bug);
  });
});

describe('real clients against a port nothing listens on', () => {
  let port: number;

  beforeAll(async () => {
    port = await closedPort();
  });

  it('the DynamoDB store makes GET answer 503 naming dynamodb', async () => {
    // given
    const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials, maxAttempts: 1 });
    const app = anApp({ items: new DynamoItemStore({ client, tableName: 'demo-items' }) });

    // when
    const response = await send(app, 'GET', '/items/products/p-1');

    // then
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: 'dynamodb unavailable', backend: 'dynamodb', cause: expect.stringContaining('ECONNREFUSED') });
    client.destroy();
  });

  it('the OpenSearch search makes GET /search answer 503 naming opensearch', async () => {
    // given
    const client = createOpenSearchClient({ node: `http://127.0.0.1:${port}` });
    const app = anApp({
      search: new OpenSearchSearch({
        client,
        aliases: { products: 'products', reviews: 'reviews' },
        exactMatchFields: { category: 'category', tags: 'tags' },
      }),
    });

    // when
    const response = await send(app, 'GET', '/search?q=lamp');

    // then
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      error: 'opensearch unavailable',
      backend: 'opensearch',
      cause: expect.stringContaining('ECONNREFUSED'),
    });
    await client.close();
  });

  it('the sync status reports each unreachable part with its cause and still answers', async () => {
    // given
    const openSearch = createOpenSearchClient({ node: `http://127.0.0.1:${port}` });
    const sqs = new SQSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials, maxAttempts: 1 });
    const status = new BackendSyncStatus({
      openSearch,
      sqs,
      queues: { deadLetter: `http://127.0.0.1:${port}/000000000000/dlq` },
      indexes: { readAliases: { products: 'products' }, writeAliases: { products: 'products-write' } },
      runner: { status: () => ({ state: 'running' }) },
    });

    // when
    const result = await status.status();

    // then
    expect(result.runner).toEqual({ ok: true, value: { state: 'running' } });
    expect(result.documents).toEqual({ ok: false, error: 'opensearch unavailable', cause: expect.stringContaining('ECONNREFUSED') });
    expect(result.queues).toEqual({ ok: false, error: 'sqs unavailable', cause: expect.stringContaining('ECONNREFUSED') });
    expect(result.lastIndexedChange).toEqual({
      ok: false,
      error: 'opensearch unavailable',
      cause: expect.stringContaining('ECONNREFUSED'),
    });
    sqs.destroy();
    await openSearch.close();
  });
});
