import { parseArchiveKey, type S3ArchiveStore } from '@ddb-os/failure-archive';
import type { ResolvedSync } from '@ddb-os/sync-definition';
import { Command, CommanderError, Option } from 'commander';
import { loadArchiveConfig, type ArchiveConfig, type ReplayConfig } from './config';
import { EXIT } from '@ddb-os/node-io';
import { REPAIR_ADVICE } from './constants';
import { InvalidReplayOptionError, ReplayError } from './errors';
import { parseDay, type ArchiveFilter } from './filters';
import { listArchive, summarize } from './listing';
import { createOutput, formatReport, formatSummary, formatTotals, type CliStreams, type Output } from './output';
import { replayObject, type ReplayDependencies } from './replay-object';
import { archiveStore, replayConfigOf, replayServices } from './services';
import type { ObjectReport, RunTotals } from './types';

/** What the CLI runs against; tests replace the service factories. */
export interface CliContext extends CliStreams {
  readonly env: NodeJS.ProcessEnv;
  /** The sync of the definition whose archive is replayed (`--sync`); called by `run` only. */
  readonly sync: () => ResolvedSync;
  /** The table the sync's definition names (an existing table): where its key attributes are read when not declared. */
  readonly syncTable?: string | undefined;
  readonly archiveStore?: (config: ArchiveConfig) => Pick<S3ArchiveStore, 'list' | 'readMetadata' | 'read'>;
  readonly replayServices?: (config: ReplayConfig) => ReplayDependencies;
}

interface FilterOptions {
  readonly table?: string;
  readonly reason?: string;
  readonly since?: string;
  readonly until?: string;
  readonly json?: boolean;
}

interface RunOptions extends FilterOptions {
  readonly key?: string[];
  readonly dryRun?: boolean;
}

/** The exit codes of `replay`, for `--help`. */
export const REPLAY_EXIT_HELP = `Exit codes: ${EXIT.ok} ok, ${EXIT.attention} some objects could not be replayed (they stay in the archive), ${EXIT.error} usage or configuration error (nothing was done).`;

/**
 * Runs the `replay` commands on their own program (as `ddb-os replay` registers them) and resolves with the exit
 * code (0 ok, 1 some objects failed, 2 usage/config).
 *
 * @example
 * process.exitCode = await runCli(['list'], { env: process.env, stdout: process.stdout, stderr: process.stderr, sync: () => syncs.named('demo') });
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('replay')
    .exitOverride()
    .configureOutput({ writeOut: (text) => context.stdout.write(text), writeErr: (text) => context.stderr.write(text) });
  addReplayCommands(program, context, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    if (error instanceof ReplayError) {
      context.stderr.write(`replay: ${error.message}\n`);
      return EXIT.error;
    }
    throw error;
  }
  return exitCode;
}

/** The replay errors that are the user's to fix (options, configuration): exit code 2, message without a stack. */
export function isReplayUsageError(error: unknown): boolean {
  return error instanceof ReplayError;
}

/**
 * Registers `list`, `inspect` and `run` on `program` (the `replay` command of `ddb-os`, or a program of its own).
 * `run` records its exit code with `setExitCode`; errors are thrown to the host program.
 */
export function addReplayCommands(program: Command, context: CliContext, setExitCode: (code: number) => void): Command {
  program.addHelpText(
    'after',
    `\nExamples:\n  $ npx ddb-os replay list --sync demo\n  $ npx ddb-os replay inspect --sync demo --key failures/demo-items/2026/01/31/…ndjson.gz\n  $ npx ddb-os replay run --sync demo --dry-run\n  $ npx ddb-os replay run --sync demo --since 2026-01-31\n\nConfiguration: ARCHIVE_BUCKET (required), ARCHIVE_PREFIX, S3_ENDPOINT, OPENSEARCH_*, DYNAMODB_ENDPOINT, TABLE_NAME (overrides the table of each archive header).\n${REPLAY_EXIT_HELP}\n`,
  );

  withFilters(
    program.command('list').description('Summarise the archive: counts by table, reason/condition and day; lost ranges called out.'),
  ).action(async (options: FilterOptions) => {
    const config = loadArchiveConfig(context.env);
    await listCommand(storeFor(context, config), config, filterOf(options), createOutput(context, { json: options.json === true }));
  });

  program
    .command('inspect')
    .description('Print one archived object: the header, then its stream records.')
    .requiredOption('--key <key>', 'S3 key of the archive object')
    .option('--json', 'JSON lines even on a terminal')
    .action(async (options: { key: string; json?: boolean }) => {
      const config = loadArchiveConfig(context.env);
      await inspectCommand(storeFor(context, config), options.key, createOutput(context, { json: options.json === true }));
    });

  withFilters(
    program
      .command('run')
      .description('Replay archived objects: re-read each affected item (consistent read) and write its current state.'),
  )
    .addOption(new Option('--key <key...>', 'replay these S3 keys (repeatable) instead of filtering the archive'))
    .option('--dry-run', 'read the table and print what would be written; change nothing')
    .addHelpText(
      'after',
      `\nWithout --table (and --key), only the objects of the sync's table are replayed when its definition names the table.\nLost ranges: their recovered records are replayed, but the object stays in the archive: ${REPAIR_ADVICE}.`,
    )
    .action(async (options: RunOptions) => {
      const config = await replayConfigOf(context.sync(), context.env, context.syncTable);
      const services = (context.replayServices ?? replayServices)(config);
      // An archive may hold the failures of several syncs: without --table, only this sync's table (when its definition names it).
      const scoped = { ...options, table: options.table ?? context.syncTable };
      setExitCode(await runCommand(services, config, scoped, createOutput(context, { json: options.json === true })));
    });

  return program;
}

function withFilters(command: Command): Command {
  return command
    .option('--table <name>', 'only this table')
    .option('--reason <text>', 'only objects whose reason, condition or kind contains this text (case-insensitive)')
    .option('--since <yyyy-mm-dd>', 'only failures on or after this UTC day')
    .option('--until <yyyy-mm-dd>', 'only failures on or before this UTC day')
    .option('--json', 'JSON lines even on a terminal');
}

function filterOf(options: FilterOptions): ArchiveFilter {
  const since = options.since === undefined ? undefined : parseDay('--since', options.since);
  const until = options.until === undefined ? undefined : parseDay('--until', options.until);
  if (since !== undefined && until !== undefined && since > until)
    throw new InvalidReplayOptionError('--until', until, `must not be before --since ${since}`);
  return { table: options.table, reason: options.reason, since, until };
}

function storeFor(context: CliContext, config: ArchiveConfig): Pick<S3ArchiveStore, 'list' | 'readMetadata' | 'read'> {
  return (context.archiveStore ?? archiveStore)(config);
}

async function listCommand(
  store: Pick<S3ArchiveStore, 'list' | 'readMetadata'>,
  config: ArchiveConfig,
  filter: ArchiveFilter,
  out: Output,
): Promise<void> {
  const { entries, foreign } = await listArchive(store, config.prefix, filter);
  const summary = summarize(entries, foreign);
  if (out.human) {
    formatSummary(summary).forEach((line) => out.line(line));
    return;
  }
  for (const entry of entries) out.json({ type: 'object', ...entry });
  out.json({
    type: 'summary',
    ...summary,
    lostRanges: summary.lostRanges.map((entry) => entry.key),
    repair: summary.lostRanges.length > 0 ? REPAIR_ADVICE : null,
  });
}

async function inspectCommand(store: Pick<S3ArchiveStore, 'read'>, key: string, out: Output): Promise<void> {
  const { header, records } = await store.read(key);
  if (!out.human) {
    [header, ...records].forEach((line) => out.json(line));
    return;
  }
  out.line(JSON.stringify(header, null, 2));
  records.forEach((record, position) => out.line(`--- record ${position + 1}/${records.length}\n${JSON.stringify(record, null, 2)}`));
}

async function runCommand(deps: ReplayDependencies, config: ReplayConfig, options: RunOptions, out: Output): Promise<number> {
  const keys = options.key
    ? validatedKeys(options.key, config)
    : (await listArchive(deps.store, config.archive.prefix, filterOf(options))).entries.map((entry) => entry.key);
  const progress = out.progress(keys.length);
  const reports: ObjectReport[] = [];
  for (const key of keys) {
    const report = await replayOrReport(deps, key, options.dryRun === true);
    reports.push(report);
    progress.tick(key);
    if (out.human) formatReport(report).forEach((line) => out.line(line));
    else out.json({ type: 'object', ...report });
  }
  progress.stop();
  const totals = totalsOf(reports, options.dryRun === true);
  if (out.human) out.line(formatTotals(totals));
  else out.json({ type: 'summary', ...totals });
  return reports.some((report) => report.status === 'failed') ? EXIT.attention : EXIT.ok;
}

/** A broken object (unreadable, malformed) is reported as failed and the run goes on. */
async function replayOrReport(deps: ReplayDependencies, key: string, dryRun: boolean): Promise<ObjectReport> {
  try {
    return await replayObject(deps, key, { dryRun });
  } catch (error) {
    return {
      key,
      kind: 'unknown',
      table: null,
      status: 'failed',
      counts: { items: 0, indexed: 0, deleted: 0, stale: 0, skipped: 0, failed: 1 },
      failures: [{ id: null, reason: (error as Error).message }],
      skips: [],
      planned: [],
      movedTo: null,
      lost: null,
      advice: null,
    };
  }
}

function validatedKeys(keys: readonly string[], config: ReplayConfig): string[] {
  for (const key of keys) {
    if (!parseArchiveKey(key, config.archive.prefix)) {
      throw new InvalidReplayOptionError(
        '--key',
        key,
        `expected an archive key under ${config.archive.prefix} (<table>/<yyyy>/<mm>/<dd>/<partition>/<name>.ndjson[.gz])`,
      );
    }
  }
  return [...new Set(keys)];
}

function totalsOf(reports: readonly ObjectReport[], dryRun: boolean): RunTotals {
  const byStatus: Record<string, number> = {};
  for (const report of reports) byStatus[report.status] = (byStatus[report.status] ?? 0) + 1;
  const sum = (field: keyof ObjectReport['counts']) => reports.reduce((total, report) => total + report.counts[field], 0);
  return {
    dryRun,
    objects: reports.length,
    byStatus,
    indexed: sum('indexed'),
    deleted: sum('deleted'),
    stale: sum('stale'),
    skipped: sum('skipped'),
    failed: sum('failed'),
    needsRepair: reports.filter((report) => report.status === 'needs-repair').map((report) => report.key),
  };
}
