import { z } from 'zod';
import { InvalidSyncConfigError, isConfigurationError } from '../../src/errors';
import { mappingsForIndex } from '../../src/index-mappings';
import { loadSyncTargetConfig } from '../../src/sync-target';

const env = {
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  INDEX_ROUTES: JSON.stringify([
    { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
    { index: 'everything', match: { always: true } },
  ]),
  KEY_ATTRIBUTES: 'pk,sk',
};

describe('loadSyncTargetConfig', () => {
  it('reads the shared writer settings with their defaults', () => {
    const target = loadSyncTargetConfig(env);
    expect(target).toMatchObject({
      keyAttributes: ['pk', 'sk'],
      snapshotSafetySeconds: 2,
      versionAttribute: undefined,
      retry: { maxAttempts: 6 },
    });
  });

  it('names every bad variable at once', () => {
    const load = () => loadSyncTargetConfig({ INDEX_ROUTES: '{', KEY_ATTRIBUTES: '' }, 'replay');
    expect(load).toThrow(InvalidSyncConfigError);
    expect(load).toThrow(/Invalid replay configuration[\s\S]*OPENSEARCH_NODE[\s\S]*INDEX_ROUTES: is not valid JSON[\s\S]*KEY_ATTRIBUTES/);
  });

  it('marks its error as a configuration error, which other errors are not', () => {
    const error = captureError(() => loadSyncTargetConfig({}));
    expect(isConfigurationError(error)).toBe(true);
    expect(isConfigurationError(new Error('network down'))).toBe(false);
    expect(isConfigurationError(undefined)).toBe(false);
  });

  it.each([
    [{ OPENSEARCH_NODE: 'ftp://127.0.0.1:9200' }, 'OPENSEARCH_NODE: must be an http(s) URL of the OpenSearch endpoint'],
    [{ OPENSEARCH_NODE: undefined }, 'OPENSEARCH_NODE: is required: the http(s) URL of the OpenSearch endpoint, e.g.'],
    [{ INDEX_ROUTES: undefined }, 'INDEX_ROUTES: is required: the index routes as JSON, e.g. [{"index":"items","match":{"always":true}}]'],
    [{ RETRY_BASE_DELAY_MS: '6000', RETRY_MAX_DELAY_MS: '5000' }, 'RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS'],
    [{ RETRY_BASE_DELAY_MS: '6000' }, 'RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS'],
    [{ RETRY_MAX_ATTEMPTS: 'three' }, 'RETRY_MAX_ATTEMPTS: must be a whole number'],
    [{ RETRY_MAX_ATTEMPTS: '1000' }, 'RETRY_MAX_ATTEMPTS: must be ≤ 100'],
    [{ SNAPSHOT_SAFETY_SECONDS: '-1' }, 'SNAPSHOT_SAFETY_SECONDS: must be ≥ 0'],
    [{ AWS_REGION: 'Europe' }, 'AWS_REGION: must be an AWS region name'],
    [{ OPENSEARCH_AUTH: 'oauth' }, 'OPENSEARCH_AUTH: must be none, basic or sigv4'],
    [{ MAPPING_DYNAMIC: 'true' }, 'MAPPING_DYNAMIC: must be strict or false'],
  ])('rejects %j naming the variable and what to set', (override, expected) => {
    const error = captureError(() => loadSyncTargetConfig({ ...env, ...override }));
    expect(error).toBeInstanceOf(InvalidSyncConfigError);
    expect((error as InvalidSyncConfigError).issues).toContainEqual(expect.stringContaining(expected));
  });

  it('checks the retry delays against each other while other variables are bad too', () => {
    const error = captureError(() =>
      loadSyncTargetConfig({ ...env, KEY_ATTRIBUTES: '', RETRY_BASE_DELAY_MS: '500', RETRY_MAX_DELAY_MS: '100' }),
    );
    expect((error as InvalidSyncConfigError).issues).toEqual([
      expect.stringMatching(/^KEY_ATTRIBUTES/),
      expect.stringMatching(/^RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS/),
    ]);
  });

  it('accepts equal retry delays and https endpoints', () => {
    expect(
      loadSyncTargetConfig({
        ...env,
        OPENSEARCH_NODE: 'https://search-x.eu-west-1.es.amazonaws.com',
        RETRY_BASE_DELAY_MS: '200',
        RETRY_MAX_DELAY_MS: '200',
      }).retry,
    ).toEqual({ maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 200 });
  });

  it('carries the credentials its own environment names, for every client the writer builds', () => {
    // when
    const target = loadSyncTargetConfig({
      ...env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });

    // then
    expect(target.credentials).toEqual({ accessKeyId: 'local', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('leaves credentials to the SDK default chain when its environment names none', () => {
    expect(loadSyncTargetConfig(env).credentials).toBeUndefined();
    expect(
      loadSyncTargetConfig({ ...env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' }).credentials,
    ).toBeUndefined();
  });

  it('takes an empty session token as none', () => {
    expect(
      loadSyncTargetConfig({ ...env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: '' }).credentials,
    ).toEqual({ accessKeyId: 'local', secretAccessKey: 'local' });
  });

  it('refuses half a key pair', () => {
    expect(() => loadSyncTargetConfig({ ...env, AWS_ACCESS_KEY_ID: 'local' })).toThrow(
      /AWS_SECRET_ACCESS_KEY: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither/,
    );
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

describe('mappingsForIndex', () => {
  const schemas = { product: z.object({ productId: z.string(), pk: z.string(), price: z.number() }) };
  const target = loadSyncTargetConfig(env);

  it('generates a strict mapping from the route schema and adds the key attributes it lacks', () => {
    const mappings = mappingsForIndex('products', target, schemas);
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.properties).toMatchObject({ productId: { type: 'keyword' }, price: { type: 'double' }, sk: { type: 'keyword' } });
    expect(mappings.properties['pk']).toEqual(expect.objectContaining({ type: 'text' }));
  });

  it('maps a schema-less index dynamically, with exact sync metadata', () => {
    const mappings = mappingsForIndex('everything', target, schemas);
    expect(mappings.dynamic).toBe(true);
    expect(mappings.properties).toMatchObject({ pk: { type: 'keyword' }, ddbSync: { properties: { order: { type: 'keyword' } } } });
  });
});
