import { jsonLines, runTypeScript } from './child-run';
import { BenchError } from './errors';
import type { ChildRun } from './types';

/** The backfill CLI (`backfill`, `verify`), run by the benches in a child process. */
export const BACKFILL_ENTRY = 'tools/backfill/src/cli.ts';

/**
 * Runs the backfill CLI with `args` (a command and its options) in a child process under `env` and returns the
 * run and the JSON summary line the CLI prints last; throws when it printed none.
 *
 * @example
 * const { summary } = await runBackfillCli(['verify', '--table', 't', '--progress', 'none'], env, [0, 1]);
 */
export async function runBackfillCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  acceptExitCodes: readonly number[] = [0],
): Promise<{ run: ChildRun; summary: Record<string, unknown> }> {
  const run = await runTypeScript(BACKFILL_ENTRY, args, { env, acceptExitCodes });
  const summary = jsonLines(run.stdout).find((line) => line['msg'] === 'summary');
  if (summary === undefined)
    throw new BenchError(`${args[0] ?? 'backfill'} printed no summary: ${run.stdout.slice(-500)} ${run.stderr.slice(-1000)}`);
  return { run, summary };
}
