import { Command, CommanderError, Option } from 'commander';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { indexSchemas } from '@ddb-os/schemas';
import { loadSyncTargetConfig, type SyncTargetConfig } from '@ddb-os/sync-config';
import { dynamoFromEnvironment, s3FromEnvironment } from './aws';
import { runBackfill } from './backfill';
import { DEFAULTS, LIMITS } from './constants';
import { VerifyInterruptedError } from './errors';
import { backfillOptionsFrom, retryFailuresOptionsFrom, verifyOptionsFrom, type ProgressSettings } from './options';
import { createProgress } from './progress';
import { retryFailures } from './retry-failures';
import { backfillExitCode, EXIT, formatBackfillSummary, formatVerifySummary, verifyExitCode } from './summary';
import { runVerify } from './verify';

/** Where the CLI writes: the JSON summary to `out`, progress and human-readable text to `err`. */
export interface CliStreams {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

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

/**
 * The `backfill` CLI: `backfill` (default command), `verify` and `retry-failures`. Resolves with the exit code:
 * 0 done/clean, 1 attention (drift, or items that could not be indexed), 2 error, 130 interrupted.
 *
 * @example
 * process.exitCode = await runCli(['node', 'cli', 'verify', '--table', 'orders'], { out: process.stdout, err: process.stderr, env: process.env });
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
  const wrap =
    (action: Action) =>
    async (raw: Record<string, unknown>): Promise<void> => {
      try {
        exitCode = await action(raw, controller.signal);
      } catch (error) {
        streams.err.write(`error: ${(error as Error).message}\n`);
        exitCode = error instanceof VerifyInterruptedError ? EXIT.interrupted : EXIT.error;
      }
    };
  try {
    await buildProgram(streams, wrap).parseAsync([...argv]);
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

function buildProgram(streams: CliStreams, wrap: (action: Action) => (raw: Record<string, unknown>) => Promise<void>): Command {
  const program = new Command('backfill')
    .description(
      'Initial load and drift verification of the OpenSearch indexes of a DynamoDB table (configuration: the INDEX_ROUTES, KEY_ATTRIBUTES, OPENSEARCH_* … variables of the indexer)',
    )
    .exitOverride()
    .configureOutput({ writeOut: (text) => streams.err.write(text), writeErr: (text) => streams.err.write(text) });

  const backfill = program
    .command('backfill', { isDefault: true })
    .description('load every item of a table (parallel Scan) or of a DynamoDB export into its index; safe while the stream indexer runs')
    .option('--table <name>', 'table to Scan')
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
  backfill.action(wrap((raw, signal) => backfillAction(raw, signal, streams)));

  const verify = program
    .command('verify')
    .description('compare the table with its indexes (counts, every key by content hash, extra documents); exit 1 on drift')
    .requiredOption('--table <name>', 'table to compare');
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
  verify.action(wrap((raw, signal) => verifyAction(raw, signal, streams)));

  program
    .command('retry-failures')
    .description('re-read the keys of a failures file from the table and index them again (after fixing the cause)')
    .requiredOption('--table <name>', 'table the failures come from')
    .requiredOption('--failures-file <path>', 'failures file written by backfill')
    .option('--still-failing-file <path>', 'where items that still fail go (default <failures-file>.still-failing.ndjson)')
    .option('--max-page-attempts <n>', 'attempts of a batch whose writes OpenSearch keeps refusing', String(DEFAULTS.maxPageAttempts))
    .action(wrap((raw, signal) => retryAction(raw, signal, streams)));
  return program;
}

async function backfillAction(raw: Record<string, unknown>, signal: AbortSignal, streams: CliStreams): Promise<number> {
  const { options, progress } = backfillOptionsFrom(raw);
  return withClients(streams.env, async ({ target, dynamo, openSearch }) => {
    const s3 = options.source.kind === 'export' ? s3FromEnvironment(streams.env) : undefined;
    try {
      const summary = await runBackfill(options, {
        dynamo,
        s3,
        openSearch,
        target,
        schemas: indexSchemas,
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
  const { options, progress } = verifyOptionsFrom(raw);
  return withClients(streams.env, async ({ target, dynamo, openSearch }) => {
    const summary = await runVerify(options, {
      dynamo,
      openSearch,
      target,
      schemas: indexSchemas,
      progress: progressFor(progress, streams),
      signal,
    });
    report(streams, summary, formatVerifySummary(summary));
    return verifyExitCode(summary);
  });
}

async function retryAction(raw: Record<string, unknown>, signal: AbortSignal, streams: CliStreams): Promise<number> {
  const options = retryFailuresOptionsFrom(raw);
  return withClients(streams.env, async ({ target, dynamo, openSearch }) => {
    const summary = await retryFailures(options, { dynamo, openSearch, target, schemas: indexSchemas, signal });
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
  readonly openSearch: ReturnType<typeof createOpenSearchClient>;
}

async function withClients(env: NodeJS.ProcessEnv, use: (clients: Clients) => Promise<number>): Promise<number> {
  const target = loadSyncTargetConfig(env, 'backfill');
  const dynamo = dynamoFromEnvironment(env);
  const openSearch = createOpenSearchClient({
    node: target.openSearch.node,
    auth: target.openSearch.auth,
    requestTimeoutMs: target.openSearch.requestTimeoutMs,
  });
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

if (require.main === module) {
  void runCli(process.argv, { out: process.stdout, err: process.stderr, env: process.env }).then((code) => {
    process.exitCode = code;
  });
}
