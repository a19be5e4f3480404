import { testSync } from '@ddb-os/testing';
import { runCli, type CliStreams } from '../../src/cli';

function capture(env: NodeJS.ProcessEnv = {}): CliStreams & { output: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return {
    out: { write: (text: string) => (out += text) } as unknown as NodeJS.WritableStream,
    err: { write: (text: string) => (err += text), isTTY: false } as unknown as NodeJS.WriteStream,
    env,
    sync: () => testSync({ routes: [{ index: 'orders', match: { always: true } }] }),
    output: () => ({ out, err }),
  };
}

describe('command line', () => {
  it('exits 2 and names every bad option before touching any server', async () => {
    // given
    const streams = capture();
    // when
    const code = await runCli(['node', 'cli', 'verify', '--table', 'x', '--sample', '2'], streams);
    // then
    expect(code).toBe(2);
    expect(streams.output().err).toMatch(/--table: must be a DynamoDB table name[\s\S]*--sample: must be ≤ 1/);
    expect(streams.output().out).toBe('');
  });

  it('runs backfill as the default command and asks for a source', async () => {
    const streams = capture();
    expect(await runCli(['node', 'cli', '--segments', '2'], streams)).toBe(2);
    expect(streams.output().err).toContain('give exactly one source: --table <name> (Scan) or --export s3://');
  });

  it('names the sync variables that are missing or bad', async () => {
    // given valid options and a sync, but no OPENSEARCH_NODE and a bad retry delay in the environment
    const streams = capture({ RETRY_MAX_DELAY_MS: 'soon' });
    // when
    const code = await runCli(['node', 'cli', 'backfill', '--table', 'orders'], streams);
    // then
    expect(code).toBe(2);
    expect(streams.output().err).toMatch(/Invalid backfill configuration[\s\S]*OPENSEARCH_NODE[\s\S]*RETRY_MAX_DELAY_MS/);
  });

  it('prints help and exits 0', async () => {
    const streams = capture();
    expect(await runCli(['node', 'cli', 'verify', '--help'], streams)).toBe(0);
    expect(streams.output().err).toContain('--repair');
  });
});
