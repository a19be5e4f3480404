import { isConfigurationError } from '@ddb-os/sync-config';
import { testRouting } from '@ddb-os/testing';
import { loadArchiveConfig, loadReplayConfig } from '../../src/config';
import { InvalidReplayConfigError } from '../../src/errors';

const minimal = {
  ARCHIVE_BUCKET: 'sync-failures',
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
};
const routing = testRouting({ routes: [{ index: 'items', match: { always: true } }] });

describe('replay configuration', () => {
  it("takes the sync's routing and applies the environment's defaults", () => {
    // when loaded
    const config = loadReplayConfig(routing, minimal);

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
    // given the indexer's variables and a sync ordered by a version attribute
    const env = { ...minimal, SNAPSHOT_SAFETY_SECONDS: '5', AUTO_CREATE_INDEXES: 'false' };
    const versioned = testRouting({ routes: [{ index: 'items', match: { always: true } }], versionAttribute: 'version' });

    // when / then
    expect(loadReplayConfig(versioned, env)).toMatchObject({
      keyAttributes: ['pk', 'sk'],
      versionAttribute: 'version',
      snapshotSafetySeconds: 5,
      autoCreateIndexes: false,
    });
  });

  it('names every bad variable', () => {
    // given a bad retry delay and a bad snapshot safety
    const env = { ...minimal, RETRY_MAX_ATTEMPTS: '0', SNAPSHOT_SAFETY_SECONDS: '-1' };

    // when / then
    expect(() => loadReplayConfig(routing, env)).toThrow(InvalidReplayConfigError);
    expect(() => loadReplayConfig(routing, env)).toThrow(/SNAPSHOT_SAFETY_SECONDS: must be ≥ 0[\s\S]*RETRY_MAX_ATTEMPTS: must be ≥ 1/);
  });

  it('applies the same field rules as the indexer: http(s) endpoints, retry delays in order', () => {
    // given
    const env = {
      ...minimal,
      OPENSEARCH_NODE: 'ftp://127.0.0.1:9200',
      S3_ENDPOINT: 'ftp://127.0.0.1:9000',
      RETRY_BASE_DELAY_MS: '900',
      RETRY_MAX_DELAY_MS: '90',
    };

    // when
    let thrown: unknown;
    try {
      loadReplayConfig(routing, env);
    } catch (error) {
      thrown = error;
    }

    // then
    expect(isConfigurationError(thrown)).toBe(true);
    const problems = (thrown as InvalidReplayConfigError).problems.join('\n');
    expect(problems).toMatch(/OPENSEARCH_NODE: must be an http\(s\) URL/);
    expect(problems).toMatch(/S3_ENDPOINT: must be an http\(s\) URL/);
    expect(problems).toMatch(/RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS/);
  });

  it('needs both credentials for basic auth', () => {
    // when / then
    expect(() => loadReplayConfig(routing, { ...minimal, OPENSEARCH_AUTH: 'basic', OPENSEARCH_USERNAME: 'u' })).toThrow(
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
