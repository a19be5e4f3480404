import { workspaceRoot } from '@ddb-os/local-stack';
import { ReplayCli, ReplayFailedError } from '../../src/backends/replay-cli';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { uniqueName } from '../helpers/local-demo';

jest.setTimeout(60_000);

describe('ReplayCli: replay run in a child process', () => {
  const config = loadConfig({ ...process.env, DEMO_TABLE: uniqueName('demo-rc'), ARCHIVE_BUCKET: uniqueName('demo-rc-b') });
  const replay = new ReplayCli({ config, workspaceRoot: workspaceRoot(), logger: silentLogger });

  it('reports replay\'s own report for an object it could not read, as "failed" with the reason', async () => {
    // given: a well-formed key in a bucket that does not exist
    const key = `failures/${config.tableName}/2026/01/01/poison/1-1.ndjson`;

    // when
    const outcome = await replay.replay(key);

    // then
    expect(outcome).toMatchObject({
      key,
      status: 'failed',
      report: { counts: { failed: 1 }, failures: [{ id: null, reason: expect.stringMatching(/bucket/i) }] },
    });
  });

  it("throws ReplayFailedError with replay's message when replay refuses to run", async () => {
    // when: a key replay does not accept (exit code 2, no report)
    const attempt = replay.replay('not-an-archive-key');

    // then
    await expect(attempt).rejects.toThrow(ReplayFailedError);
    await expect(attempt).rejects.toThrow(/exited with 2 without a report: .*expected an archive key under failures\//);
  });
});
