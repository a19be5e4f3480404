import { benchIndexVariables, type BenchIndexNames, type BenchSyncName } from './bench-definition';
import { jsonLines, runTypeScript } from './child-run';
import { BenchError } from './errors';
import type { ChildRun } from './types';

/** The operators' CLI (`ddb-os backfill`, `verify`, `replay`), run by the benches in a child process. */
export const CLI_ENTRY = 'apps/cli/src/main.ts';

/** The bench's definition module (`export const syncs`), for the CLIs that take a definition other than the workspace's. */
export const BENCH_DEFINITION_MODULE = 'tools/bench/src/bench-syncs.ts';

/** The sync of the bench's definition a CLI run works on, and its index names. */
export interface BenchSyncSelection {
  readonly name: BenchSyncName;
  readonly indexes: BenchIndexNames;
}

/**
 * Runs the backfill CLI with `args` (a command and its options) on a sync of the bench's definition
 * (`--definition <bench-syncs.ts> --sync <name>`, its index names in the environment) in a child process under
 * `env`, and returns the run and the JSON summary line the CLI prints last; throws when it printed none.
 *
 * @example
 * const { summary } = await runBackfillCli(['verify', '--table', 't', '--progress', 'none'], { name: 'bench-products', indexes: { index } }, env, [0, 1]);
 */
export async function runBackfillCli(
  args: readonly string[],
  sync: BenchSyncSelection,
  env: NodeJS.ProcessEnv,
  acceptExitCodes: readonly number[] = [0],
): Promise<{ run: ChildRun; summary: Record<string, unknown> }> {
  const run = await runTypeScript(CLI_ENTRY, ['--definition', BENCH_DEFINITION_MODULE, '--sync', sync.name, ...args], {
    env: { ...env, ...benchIndexVariables(sync.indexes) },
    acceptExitCodes,
  });
  const summary = jsonLines(run.stdout).find((line) => line['msg'] === 'summary');
  if (summary === undefined)
    throw new BenchError(`${args[0] ?? 'backfill'} printed no summary: ${run.stdout.slice(-500)} ${run.stderr.slice(-1000)}`);
  return { run, summary };
}
