import { Command, CommanderError, Option } from 'commander';
import { keyAttributesOf, openSearchClientOf } from '@ddb-os/indexing-core';
import { loadSyncTargetConfig, type SyncTargetConfig } from '@ddb-os/sync-config';
import type { ResolvedSync } from '@ddb-os/sync-definition';
import { dynamoFromEnvironment, s3FromEnvironment } from './aws';
import { runBackfill } from './backfill';
import { DEFAULTS, LIMITS } from './constants';
import { VerifyInterruptedError } from './errors';
import { syncTableName } from './sync-table';
import { backfillOptionsFrom, retryFailuresOptionsFrom, verifyOptionsFrom, type ProgressSettings } from './options';
import { createProgress } from './progress';
import { retryFailures } from './retry-failures';
import { backfillExitCode, EXIT, formatBackfillSummary, formatVerifySummary, verifyExitCode } from './summary';
import { runVerify } from './verify';

/** What the backfill commands run with: where they write, the environment, and the sync they operate on. */
export interface CliStreams {
  /** The JSON summary (one line). */
  readonly out: NodeJS.WritableStream;
  /** Progress and human-readable text. */
  readonly err: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  /** The sync of the definition the command operates on (`--sync`); called once the options are valid. */
  readonly sync: () => ResolvedSync;
}

/** Runs a command's action and records its exit code (errors included); the program that hosts the commands decides how. */
export type ActionRunner = (action: (signal: AbortSignal) => Promise<number>) => Promise<void>;

type Action = (raw: Record<string, unknown>, signal: AbortSignal) => Promise<number>;

/** Fresh Option objects for each command (commander keeps per-command state in them). */
const progressOptions = (): Option[] => [
  new Option('--progress <mode>', 'auto (bars on a terminal, JSON lines otherwise), bars, json or none').default('auto'),
  new Option('--progress-interval <seconds>', 'seconds between JSON progress lines').default(String(DEFAULTS.progressIntervalSeconds)),
];
const scanOptions = (): Option[] => [
  new Option('--segments <n>', `parallel Scan segments (TotalSegments, 1–${LIMITS.maxSegments})`).default(String(DEFAULTS.segments)),
  new Option('--concurrency <n>', 'segments read at the same time').default(String(DEFAULTS.concurrency)),
  new Option('--page-size <n>', 'items per Scan page (Limit); default: 1 MB pages'),
  new Option('--max-rcu <n>', 'read capacity units per second to stay under (token bucket on ConsumedCapacity)'),
  new Option('--max-rcu-percent <p>', "the same, as a percentage of the table's provisioned read capacity (provisioned tables only)"),
];
const TABLE_HELP = "table to read (default: the sync's existing table, when its definition names one)";

/** The exit codes of the backfill commands, for `--help`. */
export const BACKFILL_EXIT_HELP = `Exit codes: ${EXIT.ok} done / clean, ${EXIT.attention} drift or items that could not be indexed, ${EXIT.error} usage, configuration or run error, ${EXIT.interrupted} interrupted (resume with --resume).`;

/**
 * The backfill commands on their own program (`backfill` the default command, `verify`, `retry-failures`), as the
 * `ddb-os` CLI registers them. Resolves with the exit code: 0 done/clean, 1 attention (drift, or items that could
 * not be indexed), 2 error, 130 interrupted.
 *
 * @example
 * process.exitCode = await runCli(['node', 'cli', 'verify', '--table', 'orders'], { out: process.stdout, err: process.stderr, env: process.env, sync: () => syncs.named('orders') });
 */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  let exitCode: number = EXIT.ok;
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    streams.err.write('\nstopping after the pages being written (checkpointed); press Ctrl-C again to quit at once\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const run: ActionRunner = async (action) => {
    try {
      exitCode = await action(controller.signal);
    } catch (error) {
      streams.err.write(`error: ${(error as Error).message}\n`);
      exitCode = backfillErrorExitCode(error);
    }
  };
  const program = new Command('backfill')
    .exitOverride()
    .configureOutput({ writeOut: (text) => streams.err.write(text), writeErr: (text) => streams.err.write(text) });
  addBackfillCommands(program, streams, run, { defaultCommand: true });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    streams.err.write(`error: ${(error as Error).message}\n`);
    exitCode = EXIT.error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exitCode;
}

/** The exit code of an error a backfill command threw: 130 for an interrupted verify, 2 for every other error. */
export function backfillErrorExitCode(error: unknown): number {
  return error instanceof VerifyInterruptedError ? EXIT.interrupted : EXIT.error;
}

/**
 * Registers `backfill`, `verify` and `retry-failures` on a program; each runs through `run`, which records its
 * exit code. `defaultCommand`: `backfill` runs when no command is named.
 */
export function addBackfillCommands(
  program: Command,
  streams: CliStreams,
  run: ActionRunner,
  { defaultCommand = false }: { readonly defaultCommand?: boolean } = {},
): void {
  const wrap =
    (action: Action) =>
    (raw: Record<string, unknown>): Promise<void> =>
      run((signal) => action(raw, signal));
  const backfill = program
    .command('backfill', { isDefault: defaultCommand })
    .description(
      "load every item of the sync's table (parallel Scan) or of a DynamoDB export into its indexes, shaped by the sync's routes; safe while the stream indexer runs",
    )
    .option('--table <name>', TABLE_HELP)
    .option('--export <s3url>', 'read a DynamoDB export (DYNAMODB_JSON) at s3://bucket/prefix instead of scanning')
    .option('--export-time <iso>', "the export's point in time (default: manifest-summary.json exportTime)");
  for (const option of scanOptions()) backfill.addOption(option);
  backfill
    .option('--checkpoint-file <path>', `per-segment checkpoints (default ${DEFAULTS.stateDirectory}/<table>.checkpoint.json)`)
    .option('--resume', 'continue each segment from its checkpoint')
    .option('--restart', 'discard an existing checkpoint and start over')
    .option(
      '--failures-file <path>',
      `NDJSON of items that could not be indexed (default ${DEFAULTS.stateDirectory}/<table>.failures.ndjson)`,
    )
    .option(
      '--max-page-attempts <n>',
      'attempts of a page whose writes OpenSearch keeps refusing before the run stops',
      String(DEFAULTS.maxPageAttempts),
    );
  for (const option of progressOptions()) backfill.addOption(option);
  backfill
    .addHelpText(
      'after',
      examples(
        'ddb-os backfill --sync demo --table demo-items --segments 8 --max-rcu 400',
        'ddb-os backfill --sync demo --table demo-items --resume',
        'ddb-os backfill --sync orders --export s3://exports/AWSDynamoDB/01234-abcd',
      ),
    )
    .action(wrap((raw, signal) => backfillAction(raw, signal, streams)));

  const verify = program
    .command('verify')
    .description(
      "compare the sync's table with its indexes, items as the sync shapes them (counts, every key by content hash, extra documents); exit 1 on drift",
    )
    .option('--table <name>', TABLE_HELP);
  for (const option of scanOptions()) verify.addOption(option);
  verify
    .option('--sample <fraction>', 'compare only this fraction of the keys (0 < f ≤ 1), chosen by a hash of the document id')
    .option('--sample-seed <text>', 'varies which keys a sample picks')
    .option('--counts', 'count items per index first (default unless --sample)')
    .option('--no-counts', 'skip the count phase')
    .option('--counts-only', 'only compare the counts')
    .option('--no-extras', 'skip the search for documents without a table item')
    .option(
      '--full-extras',
      'scroll every index for extra documents, even one the key phase proved complete (its items all matched and its live count equals them)',
    )
    .option('--repair', 're-read each drifted key and rewrite its document (never over a newer change)')
    .option('--report <file>', 'write every drifted key as an NDJSON line');
  for (const option of progressOptions()) verify.addOption(option);
  verify
    .addHelpText(
      'after',
      examples(
        'ddb-os verify --sync demo --table demo-items',
        'ddb-os verify --sync demo --table demo-items --sample 0.01 --report drift.ndjson',
        'ddb-os verify --sync demo --table demo-items --repair',
      ),
    )
    .action(wrap((raw, signal) => verifyAction(raw, signal, streams)));

  program
    .command('retry-failures')
    .description('re-read the keys of a failures file from the table and index them again (after fixing the cause)')
    .option('--table <name>', TABLE_HELP)
    .requiredOption('--failures-file <path>', 'failures file written by backfill')
    .option('--still-failing-file <path>', 'where items that still fail go (default <failures-file>.still-failing.ndjson)')
    .option('--max-page-attempts <n>', 'attempts of a batch whose writes OpenSearch keeps refusing', String(DEFAULTS.maxPageAttempts))
    .addHelpText(
      'after',
      examples('ddb-os retry-failures --sync demo --table demo-items --failures-file .cache/backfill/demo-items.failures.ndjson'),
    )
    .action(wrap((raw, signal) => retryAction(raw, signal, streams)));
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ npx ${line}`).join('\n')}\n\n${BACKFILL_EXIT_HELP}\n`;
}

/** `--table`, or the table the sync's definition names (an existing table); a created table's name is not known before deployment. */
function withSyncTable(raw: Record<string, unknown>, sync: ResolvedSync): Record<string, unknown> {
  if (raw['table'] !== undefined || raw['export'] !== undefined) return raw;
  const table = syncTableName(sync);
  return table === undefined ? raw : { ...raw, table };
}

async function backfillAction(raw: Record<string, unknown>, signal: AbortSignal, streams: CliStreams): Promise<number> {
  const sync = streams.sync();
  const { options, progress } = backfillOptionsFrom(withSyncTable(raw, sync));
  const table = options.source.kind === 'scan' ? options.source.table : undefined;
  return withClients(streams.env, sync, table, async ({ target, dynamo, openSearch }) => {
    const s3 = options.source.kind === 'export' ? s3FromEnvironment(streams.env) : undefined;
    try {
      const summary = await runBackfill(options, {
        dynamo,
        s3,
        openSearch,
        target,
        progress: progressFor(progress, streams),
        signal,
      });
      report(streams, summary, formatBackfillSummary(summary));
      return backfillExitCode(summary);
    } finally {
      s3?.destroy();
    }
  });
}

async function verifyAction(raw: Record<string, unknown>, signal: AbortSignal, streams: CliStreams): Promise<number> {
  const sync = streams.sync();
  const { options, progress } = verifyOptionsFrom(withSyncTable(raw, sync));
  return withClients(streams.env, sync, options.table, async ({ target, dynamo, openSearch }) => {
    const summary = await runVerify(options, {
      dynamo,
      openSearch,
      target,
      progress: progressFor(progress, streams),
      signal,
    });
    report(streams, summary, formatVerifySummary(summary));
    return verifyExitCode(summary);
  });
}

async function retryAction(raw: Record<string, unknown>, signal: AbortSignal, streams: CliStreams): Promise<number> {
  const sync = streams.sync();
  const options = retryFailuresOptionsFrom(withSyncTable(raw, sync));
  return withClients(streams.env, sync, options.table, async ({ target, dynamo, openSearch }) => {
    const summary = await retryFailures(options, { dynamo, openSearch, target, signal });
    const { read, indexed, stale, unrouted, failed } = summary.counts;
    report(
      streams,
      summary,
      `retry-failures: ${summary.records} records, ${summary.withoutKey} without key, ${summary.gone} gone; read ${read} · indexed ${indexed} · stale ${stale} · unrouted ${unrouted} · still failing ${failed} (${summary.stillFailingFile})`,
    );
    return failed > 0 ? EXIT.attention : EXIT.ok;
  });
}

interface Clients {
  readonly target: SyncTargetConfig;
  readonly dynamo: ReturnType<typeof dynamoFromEnvironment>;
  readonly openSearch: ReturnType<typeof openSearchClientOf>;
}

/**
 * The clients of a command and the sync's target: its routing for the table's key attributes (declared by the
 * definition, or read with DescribeTable of `table`), the OpenSearch endpoint and write settings from `env`.
 */
async function withClients(
  env: NodeJS.ProcessEnv,
  sync: ResolvedSync,
  table: string | undefined,
  use: (clients: Clients) => Promise<number>,
): Promise<number> {
  const dynamo = dynamoFromEnvironment(env);
  let target: SyncTargetConfig;
  try {
    const keyAttributes = await keyAttributesOf(sync, { tableName: table, dynamo: () => dynamo });
    target = loadSyncTargetConfig(sync.routingFor(keyAttributes), env, 'backfill');
  } catch (error) {
    dynamo.destroy();
    throw error;
  }
  const openSearch = openSearchClientOf(target);
  try {
    return await use({ target, dynamo, openSearch });
  } finally {
    dynamo.destroy();
    await openSearch.close();
  }
}

function progressFor(settings: ProgressSettings, streams: CliStreams): ReturnType<typeof createProgress> {
  return createProgress({ mode: settings.mode, intervalSeconds: settings.intervalSeconds, stream: streams.err });
}

function report(streams: CliStreams, summary: object, text: string): void {
  streams.err.write(`${text}\n`);
  streams.out.write(`${JSON.stringify({ msg: 'summary', ...summary })}\n`);
}
