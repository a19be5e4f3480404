import { runCli, type CliStreams } from '../../src/cli';

function capture(env: NodeJS.ProcessEnv = {}): CliStreams & { output: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return {
    out: { write: (text: string) => (out += text) } as unknown as NodeJS.WritableStream,
    err: { write: (text: string) => (err += text), isTTY: false } as unknown as NodeJS.WriteStream,
    env,
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
    // given valid options, but no INDEX_ROUTES / KEY_ATTRIBUTES in the environment
    const streams = capture({ OPENSEARCH_NODE: 'http://127.0.0.1:9200' });
    // when
    const code = await runCli(['node', 'cli', 'backfill', '--table', 'orders'], streams);
    // then
    expect(code).toBe(2);
    expect(streams.output().err).toMatch(/Invalid backfill configuration[\s\S]*INDEX_ROUTES[\s\S]*KEY_ATTRIBUTES/);
  });

  it('prints help and exits 0', async () => {
    const streams = capture();
    expect(await runCli(['node', 'cli', 'verify', '--help'], streams)).toBe(0);
    expect(streams.output().err).toContain('--repair');
  });
});
