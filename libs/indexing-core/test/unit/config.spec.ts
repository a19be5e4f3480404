import { isConfigurationError } from '@ddb-os/sync-config';
import { loadIndexingConfig } from '../../src/config';
import { InvalidIndexingConfigError } from '../../src/errors';

const minimal = {
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  INDEX_ROUTES: JSON.stringify([{ index: 'products', match: { attribute: 'entityType', equals: 'product' } }]),
  KEY_ATTRIBUTES: 'pk, sk',
  DLQ_URL: 'http://127.0.0.1:9324/000000000000/indexer-dlq',
};

describe('loadIndexingConfig', () => {
  it('applies safe defaults to a minimal environment', () => {
    // when
    const config = loadIndexingConfig(minimal);
    // then
    expect(config).toMatchObject({
      openSearch: { node: 'http://127.0.0.1:9200', auth: { kind: 'none' } },
      keyAttributes: ['pk', 'sk'],
      ttlDeletePolicy: 'delete',
      numberPolicy: 'string',
      maxBulkBytes: 5 * 1024 * 1024,
      autoCreateIndexes: true,
      versionAttribute: undefined,
    });
    expect(config.routes).toHaveLength(1);
  });

  it('configures SigV4 for the managed service', () => {
    const config = loadIndexingConfig({ ...minimal, OPENSEARCH_AUTH: 'sigv4', AWS_REGION: 'eu-west-1', OPENSEARCH_SERVICE: 'aoss' });
    expect(config.openSearch.auth).toEqual({ kind: 'sigv4', region: 'eu-west-1', service: 'aoss' });
  });

  it.each([
    [{ OPENSEARCH_NODE: 'not a url' }, 'OPENSEARCH_NODE'],
    [{ INDEX_ROUTES: '[{' }, 'INDEX_ROUTES: is not valid JSON'],
    [{ INDEX_ROUTES: '[{"index":"products"}]' }, 'INDEX_ROUTES'],
    [{ KEY_ATTRIBUTES: '' }, 'KEY_ATTRIBUTES'],
    [{ KEY_ATTRIBUTES: 'a,b,c' }, 'KEY_ATTRIBUTES: takes at most two attributes'],
    [{ KEY_ATTRIBUTES: 'pk,pk' }, 'KEY_ATTRIBUTES: names the same attribute twice'],
    [{ DLQ_MAX_MESSAGE_BYTES: '512' }, 'DLQ_MAX_MESSAGE_BYTES: must be ≥ 1024'],
    [{ DLQ_URL: undefined }, 'DLQ_URL'],
    [{ OPENSEARCH_AUTH: 'basic' }, 'OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME'],
    [{ TTL_DELETE_POLICY: 'forget' }, 'TTL_DELETE_POLICY'],
    [{ BULK_MAX_BYTES: '-1' }, 'BULK_MAX_BYTES'],
    [{ OPENSEARCH_NODE: 'ftp://127.0.0.1:9200' }, 'OPENSEARCH_NODE: must be an http(s) URL'],
    [{ INDEX_ROUTES: undefined }, 'INDEX_ROUTES: is required: the index routes as JSON, e.g. [{"index":'],
    [{ RETRY_BASE_DELAY_MS: '10000', RETRY_MAX_DELAY_MS: '1000' }, 'RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS'],
    [{ DLQ_URL: 'ftp://127.0.0.1/dlq' }, 'DLQ_URL: must be an http(s) URL of the SQS dead-letter queue'],
    [{ SQS_ENDPOINT: 'localhost:9324' }, 'SQS_ENDPOINT: must be an http(s) URL'],
    [{ DLQ_MAX_MESSAGE_BYTES: '2000000' }, 'DLQ_MAX_MESSAGE_BYTES: must be ≤ 1048576'],
    [{ DEADLINE_MARGIN_MS: '-5' }, 'DEADLINE_MARGIN_MS: must be ≥ 0'],
    [{ UNROUTED_POLICY: 'drop' }, 'UNROUTED_POLICY: must be skip or dead-letter'],
  ])('rejects %j with an error naming the variable', (override, expected) => {
    // when
    const load = () => loadIndexingConfig({ ...minimal, ...override });
    // then
    expect(load).toThrow(InvalidIndexingConfigError);
    expect(load).toThrow(expected);
  });

  it('throws an error marked as a configuration error, so that a stream runner holds the records', () => {
    let thrown: unknown;
    try {
      loadIndexingConfig({ ...minimal, RETRY_BASE_DELAY_MS: '9000', RETRY_MAX_DELAY_MS: '100' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidIndexingConfigError);
    expect(isConfigurationError(thrown)).toBe(true);
  });
});
