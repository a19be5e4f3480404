import { runDdbOs } from '../../src/program';
import { captured, TRANSFORM_DEFINITION } from '../helpers/capture';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const context = captured(env);
  return runDdbOs(['node', 'ddb-os', ...args], context).then((code) => ({ code, ...context.output() }));
};

describe('ddb-os command line', () => {
  it('lists every command, its examples and the exit codes in --help, and exits 0', async () => {
    // when
    const { code, out } = await run(['--help']);
    // then
    expect(code).toBe(0);
    for (const command of ['backfill', 'verify', 'retry-failures', 'replay', 'run', 'status'])
      expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(out).toContain('$ npx ddb-os verify --sync demo');
    expect(out).toMatch(/Exit codes:[\s\S]*0 +done[\s\S]*1 +attention[\s\S]*2 +usage[\s\S]*130 +interrupted/);
  });

  it.each([
    ['backfill', '--resume'],
    ['verify', '--repair'],
    ['retry-failures', '--failures-file'],
    ['run', '--dlq-url'],
    ['status', '--on-failure-queue-url'],
  ])('shows the flags, the global flags, examples and exit codes in "%s --help"', async (command, flag) => {
    // when
    const { code, out } = await run([command, '--help']);
    // then
    expect(code).toBe(0);
    expect(out).toContain(flag);
    expect(out).toContain('--sync <name>');
    expect(out).toContain('--definition <path>');
    expect(out).toContain(`$ npx ddb-os ${command} --sync`);
    expect(out).toMatch(/Exit codes?/);
  });

  it('shows the replay commands, examples and exit codes in "replay --help"', async () => {
    const { code, out } = await run(['replay', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/list[\s\S]*inspect[\s\S]*run/);
    expect(out).toContain('$ npx ddb-os replay run --sync demo --dry-run');
    expect(out).toContain('Exit codes: 0 ok, 1 some objects could not be replayed');
  });

  it("exits 2 and names every bad option of the tools' option schemas before touching any server", async () => {
    // when
    const { code, err, out } = await run(['verify', '--table', 'x', '--sample', '2']);
    // then
    expect(code).toBe(2);
    expect(err).toMatch(/--table: must be a DynamoDB table name[\s\S]*--sample: must be ≤ 1/);
    expect(out).toBe('');
  });

  it('exits 2 naming the syncs of the definition when --sync names none of them', async () => {
    const { code, err } = await run(['status', '--sync', 'nope', '--table', 'orders']);
    expect(code).toBe(2);
    expect(err).toContain('no sync named "nope"; the definition has: demo');
  });

  it('reads the syncs of a --definition module, the only one without --sync', async () => {
    // given the module's sync, with a bad retry setting so that nothing is read
    const { code, err } = await run(['--definition', TRANSFORM_DEFINITION, 'backfill', '--table', 'orders'], {
      RETRY_MAX_DELAY_MS: 'soon',
    });
    // then the sync was found and its configuration checked
    expect(code).toBe(2);
    expect(err).toMatch(/Invalid backfill configuration[\s\S]*RETRY_MAX_DELAY_MS/);
  });

  it('exits 2 naming a --definition that does not exist, or that exports no syncs', async () => {
    const missing = await run(['--definition', 'ops/nowhere.ts', 'status']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--definition ops\/nowhere\.ts: .*nowhere\.ts does not exist/);
    const empty = await run(['--definition', 'apps/cli/test/fixtures/no-syncs.ts', 'status']);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('exports no "syncs": export const syncs = defineSyncs({ syncs: [...] }) (found nothing)');
  });

  it('exits 2 naming a bad endpoint flag', async () => {
    const { code, err } = await run(['--opensearch-node', 'ftp://x', 'status', '--table', 'orders']);
    expect(code).toBe(2);
    expect(err).toContain('--opensearch-node: must be an http(s) URL or "aws"');
  });

  it('run: exits 2 asking for the dead-letter queue before reading the stream', async () => {
    const { code, err } = await run(['--definition', TRANSFORM_DEFINITION, 'run', '--table', 'orders']);
    expect(code).toBe(2);
    expect(err).toContain('--dlq-url: is required (or DLQ_URL)');
  });

  it('run: exits 2 naming a bad runner flag', async () => {
    const { code, err } = await run(['--definition', TRANSFORM_DEFINITION, 'run', '--table', 'orders', '--batch-size', '0']);
    expect(code).toBe(2);
    expect(err).toMatch(/--batch-size: must be ≥ 1/);
  });

  it('exits 2 for an unknown command', async () => {
    const { code, err } = await run(['reindex']);
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'reindex'");
  });
});

describe('ddb-os --table', () => {
  it("asks for --table when the sync's definition creates its table (its name is known only once deployed)", async () => {
    // given the demo sync, whose table the deployment creates
    const context = captured();
    // when
    const code = await runDdbOs(['node', 'ddb-os', 'verify', '--sync', 'demo'], context);
    // then
    expect(code).toBe(2);
    expect(context.output().err).toContain("--table: is required: the table's name");
  });
});
