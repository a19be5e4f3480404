import { isConfigurationError } from '@ddb-os/sync-config';
import { defineSyncs, InvalidSyncDefinitionError } from '@ddb-os/sync-definition';
import { testRouting, testSync, testSyncDefinition } from '@ddb-os/testing';
import { z } from 'zod';
import { loadIndexingConfig as loadConfig } from '../../src/config';
import { InvalidIndexingConfigError } from '../../src/errors';
import { indexingConfigOf } from '../../src/indexing-lambda';
import { syncOfEnvironment } from '../../src/sync-environment';

const routes = [{ index: 'products', match: { attribute: 'entityType', equals: 'product' } }];
const routing = testRouting({ routes });
const loadIndexingConfig = (env: NodeJS.ProcessEnv) => loadConfig(routing, env);

const minimal = {
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
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
    const config = loadIndexingConfig({ ...minimal, OPENSEARCH_AUTH: 'sigv4', AWS_REGION: 'eu-west-1', OPENSEARCH_SERVICE: 'es' });
    expect(config.openSearch.auth).toEqual({ kind: 'sigv4', region: 'eu-west-1', service: 'es' });
  });

  it('refuses OPENSEARCH_SERVICE=aoss as the sync definition refuses Serverless: no environment routes around it', () => {
    const load = () => loadIndexingConfig({ ...minimal, OPENSEARCH_AUTH: 'sigv4', AWS_REGION: 'eu-west-1', OPENSEARCH_SERVICE: 'aoss' });
    expect(load).toThrow(InvalidIndexingConfigError);
    expect(load).toThrow(/OPENSEARCH_SERVICE: must be es: OpenSearch Serverless \(aoss\) is not supported/);
  });

  it.each([
    [{ OPENSEARCH_NODE: 'not a url' }, 'OPENSEARCH_NODE'],
    [{ DLQ_MAX_MESSAGE_BYTES: '512' }, 'DLQ_MAX_MESSAGE_BYTES: must be ≥ 1024'],
    [{ DLQ_URL: undefined }, 'DLQ_URL'],
    [{ OPENSEARCH_AUTH: 'basic' }, 'OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME'],
    [{ BULK_MAX_BYTES: '-1' }, 'BULK_MAX_BYTES'],
    [{ OPENSEARCH_NODE: 'ftp://127.0.0.1:9200' }, 'OPENSEARCH_NODE: must be an http(s) URL'],
    [{ RETRY_BASE_DELAY_MS: '10000', RETRY_MAX_DELAY_MS: '1000' }, 'RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS'],
    [{ DLQ_URL: 'ftp://127.0.0.1/dlq' }, 'DLQ_URL: must be an http(s) URL of the SQS dead-letter queue'],
    [{ SQS_ENDPOINT: 'localhost:9324' }, 'SQS_ENDPOINT: must be an http(s) URL'],
    [{ DLQ_MAX_MESSAGE_BYTES: '2000000' }, 'DLQ_MAX_MESSAGE_BYTES: must be ≤ 1048576'],
    [{ DEADLINE_MARGIN_MS: '-5' }, 'DEADLINE_MARGIN_MS: must be ≥ 0'],
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

// The routes and keys that INDEX_ROUTES and KEY_ATTRIBUTES carried are the sync definition's now: checked once, by it.
describe("the sync definition's routes and key attributes", () => {
  const refusal = (define: () => unknown): InvalidSyncDefinitionError => {
    try {
      define();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSyncDefinitionError);
      expect(isConfigurationError(error)).toBe(true);
      return error as InvalidSyncDefinitionError;
    }
    throw new Error('expected the definition to be refused');
  };

  it('refuses a route without a match, naming its path', () => {
    const error = refusal(() => testSync({ routes: [{ index: 'products' } as never] }));
    expect(error.issues).toContainEqual(expect.stringContaining('routes[0].match'));
  });

  it('refuses a sync without routes', () => {
    expect(refusal(() => testSync({ routes: [] })).issues).toContainEqual(expect.stringContaining('routes'));
  });

  it.each([
    [[] as string[], 'key attributes must be the partition key and at most one distinct sort key, got []'],
    [['a', 'b', 'c'], 'key attributes must be the partition key and at most one distinct sort key, got [a, b, c]'],
    [['pk', 'pk'], 'key attributes must be the partition key and at most one distinct sort key, got [pk, pk]'],
    [['pk'], "the table's key attributes [pk] differ from the declared [pk, sk]"],
  ])('refuses the key attributes %j for the table', (keyAttributes, expected) => {
    const sync = testSync({ routes });
    expect(refusal(() => sync.routingFor(keyAttributes)).issues).toEqual([expect.stringContaining(expected)]);
  });

  it("maps an index from its route's schema, with the key attributes it lacks as keywords", () => {
    // given
    const schema = z.object({ productId: z.string(), pk: z.string(), price: z.number() });
    const { shapes } = testRouting({
      routes: [
        { ...routes[0]!, schema },
        { index: 'everything', match: { always: true } },
      ],
    });
    // when
    const mappings = shapes.mappingsOf('products');
    // then
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.properties).toMatchObject({ productId: { type: 'keyword' }, price: { type: 'double' }, sk: { type: 'keyword' } });
    expect(mappings.properties['pk']).toEqual(expect.objectContaining({ type: 'text' }));
  });

  it('maps a schema-less index dynamically, with exact sync metadata', () => {
    const { shapes } = testRouting({ routes: [{ index: 'everything', match: { always: true } }] });
    const mappings = shapes.mappingsOf('everything');
    expect(mappings.dynamic).toBe(true);
    expect(mappings.properties).toMatchObject({ pk: { type: 'keyword' }, ddbSync: { properties: { order: { type: 'keyword' } } } });
  });
});

describe('syncOfEnvironment', () => {
  const two = defineSyncs({
    syncs: [
      testSyncDefinition({ name: 'one', routes }),
      testSyncDefinition({ name: 'two', routes: [{ index: 'other', match: { always: true } }] }),
    ],
  });

  it('serves the only sync of a definition without SYNC_NAME', () => {
    const syncs = defineSyncs({ syncs: [testSyncDefinition({ name: 'only', routes })] });
    expect(syncOfEnvironment(syncs, {}).name).toBe('only');
  });

  it('serves the sync SYNC_NAME names', () => {
    expect(syncOfEnvironment(two, { SYNC_NAME: 'two' }).name).toBe('two');
  });

  it.each([
    [{}, /SYNC_NAME: is required: the definition has several syncs \(one, two\)/],
    [{ SYNC_NAME: 'orders' }, /SYNC_NAME: names no sync of the definition \("orders"; it has: one, two\)/],
  ])('refuses %j naming SYNC_NAME and the syncs there are, as a configuration error', (env, expected) => {
    const error = captureError(() => syncOfEnvironment(two, env));
    expect(error).toBeInstanceOf(InvalidIndexingConfigError);
    expect((error as Error).message).toMatch(expected);
    expect(isConfigurationError(error)).toBe(true);
  });

  it("refuses a SYNC_FINGERPRINT that is not the bundle's definition's", () => {
    const error = captureError(() => syncOfEnvironment(two, { SYNC_NAME: 'one', SYNC_FINGERPRINT: '0123456789abcdef' }));
    expect((error as Error).message).toMatch(/SYNC_FINGERPRINT: the deployment was synthesized from another definition of sync "one"/);
    expect(isConfigurationError(error)).toBe(true);
  });

  it("accepts the bundle's own fingerprint", () => {
    const fingerprint = two.named('one').fingerprint;
    expect(syncOfEnvironment(two, { SYNC_NAME: 'one', SYNC_FINGERPRINT: fingerprint }).name).toBe('one');
  });
});

describe('indexingConfigOf', () => {
  it("reads a created table's declared key attributes without calling DynamoDB", async () => {
    // given: no DYNAMODB_ENDPOINT, no TABLE_NAME, no credentials: a DescribeTable would fail
    const syncs = defineSyncs({ syncs: [testSyncDefinition({ routes, keyAttributes: ['orderId'] })] });
    // when
    const config = await indexingConfigOf(syncs, minimal);
    // then
    expect(config).toMatchObject({ syncName: 'test', keyAttributes: ['orderId'] });
  });

  it('refuses an existing table without TABLE_NAME, naming the variable', async () => {
    const definition = { ...testSyncDefinition({ routes }), table: { existing: { name: 'orders' } } };
    const syncs = defineSyncs({ syncs: [definition] });
    await expect(indexingConfigOf(syncs, minimal)).rejects.toThrow(/TABLE_NAME: is required: sync "test" reads the key attributes/);
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('the decoding and routing policies', () => {
  it('come from the sync definition, with their defaults', () => {
    // when
    const config = loadIndexingConfig(minimal);
    const strict = loadConfig(
      defineSyncs({
        syncs: [{ ...testSyncDefinition({ routes }), numbers: 'reject', ttlDeletes: 'mark-expired', unrouted: 'dead-letter' }],
      })
        .named('test')
        .routingFor(['pk', 'sk']),
      minimal,
    );

    // then
    expect(config).toMatchObject({ numberPolicy: 'string', ttlDeletePolicy: 'delete', unroutedPolicy: 'skip' });
    expect(strict).toMatchObject({ numberPolicy: 'reject', ttlDeletePolicy: 'mark-expired', unroutedPolicy: 'dead-letter' });
  });

  it.each([
    [{ ttlDeletes: 'forget' }, 'syncs[0] "test".ttlDeletes: must be delete or mark-expired'],
    [{ unrouted: 'drop' }, 'syncs[0] "test".unrouted: must be skip or dead-letter'],
    [{ numbers: 'round' }, 'syncs[0] "test".numbers: must be string or reject'],
  ])('refuses %j in the definition, naming the field', (override, expected) => {
    // when / then
    expect(() => defineSyncs({ syncs: [{ ...testSyncDefinition({ routes }), ...override } as never] })).toThrow(expected);
  });
});
