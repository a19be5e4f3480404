import type { DocumentShapes } from '@ddb-os/opensearch-mapping';
import { InvalidSyncConfigError, isConfigurationError } from '../../src/errors';
import { loadSyncTargetConfig as loadTarget, type SyncRouting } from '../../src/sync-target';

// A pure unit: the routing is what a sync definition resolves to (its shapes are not exercised here).
const shapes: DocumentShapes = {
  documentOf: () => {
    throw new Error('not used by these tests');
  },
  mappingsOf: () => {
    throw new Error('not used by these tests');
  },
};
const routing: SyncRouting = {
  syncName: 'test',
  routes: [{ index: 'everything', match: { always: true } }],
  keyAttributes: ['pk', 'sk'],
  versionAttribute: 'ver',
  mappingDynamic: 'strict',
  numberPolicy: 'string',
  ttlDeletePolicy: 'delete',
  unroutedPolicy: 'skip',
  shapes,
};
const loadSyncTargetConfig = (env: NodeJS.ProcessEnv, component?: string) => loadTarget(routing, env, component);

const env = { OPENSEARCH_NODE: 'http://127.0.0.1:9200' };

describe('loadSyncTargetConfig', () => {
  it('reads the shared writer settings with their defaults, and the routing from the sync definition', () => {
    const target = loadSyncTargetConfig(env);
    expect(target).toMatchObject({
      syncName: 'test',
      keyAttributes: ['pk', 'sk'],
      versionAttribute: 'ver',
      mappingDynamic: 'strict',
      snapshotSafetySeconds: 2,
      retry: { maxAttempts: 6 },
    });
    expect(target.routes).toBe(routing.routes);
    expect(target.shapes).toBe(shapes);
  });

  it('takes the routing from the definition, never from the old environment variables', () => {
    const target = loadSyncTargetConfig({
      ...env,
      KEY_ATTRIBUTES: 'id',
      VERSION_ATTRIBUTE: 'other',
      MAPPING_DYNAMIC: 'false',
      INDEX_ROUTES: '{',
    });
    expect(target).toMatchObject({
      keyAttributes: ['pk', 'sk'],
      versionAttribute: 'ver',
      mappingDynamic: 'strict',
      routes: routing.routes,
    });
  });

  it('names every bad variable at once', () => {
    const load = () => loadSyncTargetConfig({ RETRY_MAX_ATTEMPTS: 'three', AWS_REGION: 'Europe' }, 'replay');
    expect(load).toThrow(InvalidSyncConfigError);
    expect(load).toThrow(/Invalid replay configuration[\s\S]*OPENSEARCH_NODE[\s\S]*AWS_REGION[\s\S]*RETRY_MAX_ATTEMPTS/);
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
    [{ RETRY_BASE_DELAY_MS: '6000', RETRY_MAX_DELAY_MS: '5000' }, 'RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS'],
    [{ RETRY_BASE_DELAY_MS: '6000' }, 'RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS'],
    [{ RETRY_MAX_ATTEMPTS: 'three' }, 'RETRY_MAX_ATTEMPTS: must be a whole number'],
    [{ RETRY_MAX_ATTEMPTS: '1000' }, 'RETRY_MAX_ATTEMPTS: must be ≤ 100'],
    [{ SNAPSHOT_SAFETY_SECONDS: '-1' }, 'SNAPSHOT_SAFETY_SECONDS: must be ≥ 0'],
    [{ AWS_REGION: 'Europe' }, 'AWS_REGION: must be an AWS region name'],
    [{ OPENSEARCH_AUTH: 'oauth' }, 'OPENSEARCH_AUTH: must be none, basic or sigv4'],
  ])('rejects %j naming the variable and what to set', (override, expected) => {
    const error = captureError(() => loadSyncTargetConfig({ ...env, ...override }));
    expect(error).toBeInstanceOf(InvalidSyncConfigError);
    expect((error as InvalidSyncConfigError).issues).toContainEqual(expect.stringContaining(expected));
  });

  it('checks the retry delays against each other while other variables are bad too', () => {
    const error = captureError(() =>
      loadSyncTargetConfig({ ...env, AWS_REGION: 'Europe', RETRY_BASE_DELAY_MS: '500', RETRY_MAX_DELAY_MS: '100' }),
    );
    expect((error as InvalidSyncConfigError).issues).toEqual([
      expect.stringMatching(/^AWS_REGION/),
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
