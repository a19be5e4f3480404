import { isConfigurationError } from '@ddb-os/sync-config';
import { loadArchiveConfig, loadReplayConfig } from '../../src/config';
import { InvalidReplayConfigError } from '../../src/errors';

const minimal = {
  ARCHIVE_BUCKET: 'sync-failures',
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  INDEX_ROUTES: '[{"index":"items","match":{"always":true}}]',
  KEY_ATTRIBUTES: 'pk,sk',
};

describe('replay configuration', () => {
  it("reads the indexer's routing variables and applies defaults", () => {
    // when loaded
    const config = loadReplayConfig(minimal);

    // then
    expect(config).toMatchObject({
      archive: { bucket: 'sync-failures', prefix: 'failures/', replayedPrefix: 'replayed/', region: 'us-east-1' },
      routes: [{ index: 'items', match: { always: true } }],
      keyAttributes: ['pk', 'sk'],
      snapshotSafetySeconds: 2,
      numberPolicy: 'string',
      autoCreateIndexes: true,
      openSearch: { node: 'http://127.0.0.1:9200', auth: { kind: 'none' } },
    });
  });

  it('reads the sync target exactly as the indexer does (shared @ddb-os/sync-config)', () => {
    // given the indexer's variables
    const env = {
      ...minimal,
      KEY_ATTRIBUTES: ' pk , sk ',
      VERSION_ATTRIBUTE: 'version',
      SNAPSHOT_SAFETY_SECONDS: '5',
      AUTO_CREATE_INDEXES: 'false',
    };

    // when / then
    expect(loadReplayConfig(env)).toMatchObject({
      keyAttributes: ['pk', 'sk'],
      versionAttribute: 'version',
      snapshotSafetySeconds: 5,
      autoCreateIndexes: false,
    });
  });

  it('names every bad variable', () => {
    // given broken routes and three key attributes
    const env = { ...minimal, INDEX_ROUTES: '[{"index":"items"}]', KEY_ATTRIBUTES: 'a,b,c' };

    // when / then
    expect(() => loadReplayConfig(env)).toThrow(InvalidReplayConfigError);
    expect(() => loadReplayConfig(env)).toThrow(
      /INDEX_ROUTES: Invalid index routes: routes\[0\]\.match \(index "items"\): must be one of[\s\S]*KEY_ATTRIBUTES: takes at most two attributes/,
    );
  });

  it('applies the same field rules as the indexer: http(s) endpoints, retry delays in order, routes required', () => {
    // given
    const env = {
      ...minimal,
      OPENSEARCH_NODE: 'ftp://127.0.0.1:9200',
      S3_ENDPOINT: 'ftp://127.0.0.1:9000',
      RETRY_BASE_DELAY_MS: '900',
      RETRY_MAX_DELAY_MS: '90',
      INDEX_ROUTES: undefined,
    };

    // when
    let thrown: unknown;
    try {
      loadReplayConfig(env);
    } catch (error) {
      thrown = error;
    }

    // then
    expect(isConfigurationError(thrown)).toBe(true);
    const problems = (thrown as InvalidReplayConfigError).problems.join('\n');
    expect(problems).toMatch(/OPENSEARCH_NODE: must be an http\(s\) URL/);
    expect(problems).toMatch(/S3_ENDPOINT: must be an http\(s\) URL/);
    expect(problems).toMatch(/RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS/);
    expect(problems).toMatch(/INDEX_ROUTES: is required: the index routes as JSON, e\.g\./);
  });

  it('needs both credentials for basic auth', () => {
    // when / then
    expect(() => loadReplayConfig({ ...minimal, OPENSEARCH_AUTH: 'basic', OPENSEARCH_USERNAME: 'u' })).toThrow(
      'OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD',
    );
  });

  it('needs only the archive for list and inspect', () => {
    // when / then
    expect(loadArchiveConfig({ ARCHIVE_BUCKET: 'b-1', ARCHIVE_PREFIX: 'x/' })).toEqual({
      bucket: 'b-1',
      prefix: 'x/',
      replayedPrefix: 'replayed/',
      s3Endpoint: undefined,
      region: 'us-east-1',
    });
    expect(() => loadArchiveConfig({})).toThrow('ARCHIVE_BUCKET: is required');
  });
});
