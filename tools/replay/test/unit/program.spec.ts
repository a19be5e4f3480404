import { encodeArchive, type Archive, type ArchiveMetadata, type ArchiveObjectSummary } from '@ddb-os/failure-archive';
import { Writable } from 'node:stream';
import { testSync } from '@ddb-os/testing';
import { runCli, type CliContext } from '../../src/program';
import { headerFactory, lambdaRecordFactory } from '../helpers/factories';

const KEY = 'failures/orders/2026/03/04/shardId-1/100-200.ndjson';

/** An in-memory archive holding one object. */
function fakeStore(archive: Archive) {
  const metadata: ArchiveMetadata = {
    kind: archive.header.kind,
    reason: archive.header.reason,
    table: archive.header.table,
    records: archive.records.length,
    digest: archive.header.source.digest,
    failedAt: archive.header.failedAt,
    lostCondition: archive.header.lost?.condition ?? null,
  };
  return {
    async *list(): AsyncGenerator<ArchiveObjectSummary> {
      yield { key: KEY, size: encodeArchive(archive, { gzip: false }).length, lastModified: undefined };
    },
    readMetadata: async () => metadata,
    read: async () => archive,
  };
}

const unexpected = async (): Promise<never> => {
  throw new Error('unexpected call');
};
const unexpectedClient = new Proxy({}, { get: () => unexpected }) as never;

async function run(argv: string[], options: { tty?: boolean; env?: Record<string, string>; archive?: Archive; syncTable?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const archive = options.archive ?? { header: headerFactory({ counts: { records: 1, expected: 1 } }), records: [lambdaRecordFactory({})] };
  const context: CliContext = {
    env: options.env ?? { ARCHIVE_BUCKET: 'archive' },
    stdout: Object.assign(new Writable({ write: (chunk, _encoding, done) => ((stdout += String(chunk)), done()) }), {
      isTTY: options.tty ?? false,
    }),
    stderr: new Writable({ write: (chunk, _encoding, done) => ((stderr += String(chunk)), done()) }),
    archiveStore: () => fakeStore(archive),
    // No table or index is reached by these tests: a client used by mistake fails the test.
    replayServices: (config) => ({
      config,
      store: { ...fakeStore(archive), move: unexpected },
      dynamo: unexpectedClient,
      openSearch: unexpectedClient,
      clock: () => 0,
    }),
    sync: () => testSync({ routes: [{ index: 'orders', match: { always: true } }] }),
    syncTable: options.syncTable,
  };
  const code = await runCli(argv, context);
  return { code, stdout, stderr };
}

describe('replay CLI', () => {
  it('prints JSON lines when stdout is not a terminal', async () => {
    // when listing into a pipe
    const { code, stdout } = await run(['list']);

    // then one object line and a summary line, each valid JSON
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.map((line) => line.type)).toEqual(['object', 'summary']);
    expect(lines[1]).toMatchObject({ objects: 1, byTable: { orders: 1 }, lostRanges: [], repair: null });
  });

  it('prints a human summary on a terminal', async () => {
    // when listing on a terminal
    const { stdout } = await run(['list'], { tty: true });

    // then text, not JSON
    expect(stdout).toContain('1 archived object(s), 1 stream record(s)');
    expect(stdout).toContain('by reason / condition:');
  });

  it('inspect prints the header, then the records', async () => {
    // given an archive with one record
    const archive = {
      header: headerFactory({ counts: { records: 1, expected: 1 } }),
      records: [lambdaRecordFactory({ sequenceNumber: '150' })],
    };

    // when inspected into a pipe
    const { code, stdout } = await run(['inspect', '--key', KEY], { archive });

    // then the same NDJSON as stored
    expect(code).toBe(0);
    expect(stdout).toBe(encodeArchive(archive, { gzip: false }).toString('utf8'));
  });

  it('exits 2 with the reason for a bad day, before touching anything', async () => {
    // when
    const { code, stderr } = await run(['list', '--since', '2026-3-4']);

    // then
    expect(code).toBe(2);
    expect(stderr).toContain('Option --since "2026-3-4" is invalid: expected a calendar day as yyyy-mm-dd');
  });

  it('exits 2 when --until is before --since', async () => {
    // when
    const { code, stderr } = await run(['list', '--since', '2026-03-05', '--until', '2026-03-04']);

    // then
    expect(code).toBe(2);
    expect(stderr).toContain('must not be before --since 2026-03-05');
  });

  it('exits 2 naming the missing variables of run', async () => {
    // when run without an OpenSearch endpoint and with a bad retry setting
    const { code, stderr } = await run(['run', '--dry-run'], { env: { ARCHIVE_BUCKET: 'archive', RETRY_MAX_ATTEMPTS: '0' } });

    // then
    expect(code).toBe(2);
    expect(stderr).toMatch(/OPENSEARCH_NODE: is required: the http\(s\) URL[\s\S]*RETRY_MAX_ATTEMPTS: /);
  });

  it("run replays only the objects of the sync's table when its definition names it", async () => {
    // given an archive object of table orders, and a sync of another table
    const env = { ARCHIVE_BUCKET: 'archive', OPENSEARCH_NODE: 'http://127.0.0.1:9200' };

    // when
    const { code, stdout } = await run(['run', '--dry-run', '--json'], { env, syncTable: 'invoices' });

    // then nothing of orders is replayed
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ type: 'summary', objects: 0 });
  });

  it('exits 2 for an unknown command', async () => {
    // when
    const { code, stderr } = await run(['replay-everything']);

    // then
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'replay-everything'");
  });
});
