import { UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BenchSyncSelection } from '../backfill-cli';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBackfillCli } from '../backfill-cli';
import { DEFAULT_HANDLER, LAMBDA_POLL_INTERVAL_MS } from '../constants';
import { envelopeOf, startBench } from '../bench-start';
import { BenchError } from '../errors';
import { startIndexerFixture } from '../indexer-fixture';
import { createTable, deleteTable, dynamoClient, jsonLogger, stackEndpoints, StreamRunner, uniqueName } from '../local';
import { parseCommand, runMain, wholeNumber, withCommonOptions } from '../options';
import { loadItems } from '../product-table';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { round } from '../stats';
import type { BenchResult, CommonOptions } from '../types';
import { startLiveWriter, type LiveWriterCounts } from './live-writer';

const BENCH = 'backfill-live';
const STATUS_EVERY_MS = 30_000;
const DRAIN_TIMEOUT_MS = 300_000;

/** What `backfill` reported (its JSON summary) and cost. */
interface BackfillFigures {
  readonly status: string;
  readonly read: number;
  readonly indexed: number;
  readonly stale: number;
  readonly failed: number;
  readonly itemsPerSecond: number;
  readonly durationMs: number;
  readonly peakRssMiB: number | undefined;
}

/** What `verify` reported after the run settled. */
interface VerifyFigures {
  readonly status: string;
  readonly drift: Readonly<Record<string, number>>;
  readonly counts: unknown;
  readonly itemsCompared: number;
  readonly documentsChecked: number;
  readonly extrasProven: readonly string[];
  readonly durationMs: number;
  readonly peakRssMiB: number | undefined;
}

export type BackfillLiveResult = BenchResult<{
  readonly loadSeconds: number;
  readonly backfill: BackfillFigures;
  readonly writer: LiveWriterCounts;
  readonly runner: { readonly recordsProcessed: number; readonly batchesGivenUp: number };
  readonly deadLetters: number;
  readonly verify: VerifyFigures;
  /** verify clean, nothing failed, given up or dead-lettered. */
  readonly passed: boolean;
}>;

interface LiveOptions extends CommonOptions {
  readonly items: number;
  readonly itemBytes: number;
  readonly segments: number;
  readonly concurrency: number;
  readonly writeRate: number;
}

function parseOptions(argv: readonly string[]): LiveOptions {
  const program = withCommonOptions(new Command(BENCH))
    .description('Backfill a loaded table while a writer changes it and the stream runner indexes; then verify: zero drift expected')
    .option('--items <n>', 'items in the table before the sync starts', '200000')
    .option('--item-bytes <n>', 'approximate item size', '256')
    .option('--segments <n>', 'backfill and verify Scan segments', '8')
    .option('--concurrency <n>', 'segments read at once', '4')
    .option('--write-rate <n>', 'writer operations per second (update / delete / put of random items) during the backfill', '20');
  const { raw, common } = parseCommand(program, argv);
  return {
    ...common,
    items: common.quick ? 2_000 : wholeNumber('--items', String(raw['items'])),
    itemBytes: wholeNumber('--item-bytes', String(raw['itemBytes'])),
    segments: wholeNumber('--segments', String(raw['segments'])),
    concurrency: wholeNumber('--concurrency', String(raw['concurrency'])),
    writeRate: wholeNumber('--write-rate', String(raw['writeRate'])),
  };
}

/**
 * The backfill acceptance run (`npx nx run bench:backfill-live`): a table of `--items` products is loaded with no
 * stream (the state before the sync is switched on); then its stream is enabled, the stream runner starts indexing it
 * (the indexer in this process), a writer keeps updating, deleting and re-creating random items, and the backfill CLI
 * loads the table meanwhile (child process, peak RSS measured). Once the backfill is done the writer stops, the runner
 * drains, and the verify CLI compares every key. Writes `docs/benchmarks/backfill-live.{json,md}`; exits non-zero
 * unless verify is clean and nothing failed, was given up or dead-lettered.
 */
export async function backfillLive(argv: readonly string[]): Promise<BackfillLiveResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH);
  const dynamo = dynamoClient();
  const table = uniqueName('bench-bflive');
  const index = `${table}-products`;
  const sync: BenchSyncSelection = { name: 'bench-products', indexes: { index } };
  const stateDir = mkdtempSync(path.join(tmpdir(), 'bench-backfill-live-'));
  const fixture = await startIndexerFixture({
    sync: sync.name,
    indexes: sync.indexes,
    dlqPrefix: 'bench-bflive-dlq',
    extra: { DYNAMODB_ENDPOINT: stackEndpoints().dynamodb },
  });
  const { sqs, openSearch, dlqUrl, variables: syncEnvironment } = fixture;
  let runner: StreamRunner | undefined;
  try {
    const loadStart = performance.now();
    await createTable(dynamo, table);
    await loadItems(dynamo, table, options.items, options.itemBytes, options.seed);
    const loadSeconds = round((performance.now() - loadStart) / 1000);
    console.log(`${BENCH}: loaded ${options.items} items in ${loadSeconds} s; enabling the stream, starting the runner and the writer`);
    await enableStream(dynamo, table);

    runner = new StreamRunner({
      handler: fixture.loadIndexer(DEFAULT_HANDLER),
      tableName: table,
      startPosition: 'TRIM_HORIZON',
      checkpointFile: path.join(stateDir, 'stream-checkpoint.json'),
      logger: jsonLogger(process.stderr, 'warn'),
      batchSize: 100,
      pollIntervalMs: LAMBDA_POLL_INTERVAL_MS,
      idlePollMaxMs: LAMBDA_POLL_INTERVAL_MS,
      maxRetryAttempts: 10,
      bisectBatchOnError: true,
    });
    let batchesGivenUp = 0;
    runner.on('discarded', () => void (batchesGivenUp += 1));
    await runner.start();
    const writer = startLiveWriter(dynamo, table, {
      items: options.items,
      itemBytes: options.itemBytes,
      ratePerSecond: options.writeRate,
      seed: options.seed,
    });

    const status = setInterval(() => {
      const totals = (runner as StreamRunner).status().totals;
      console.log(
        `${BENCH}: backfill running; writer ${writer.counts.operations} operations; stream runner ${totals.recordsProcessed} records indexed`,
      );
    }, STATUS_EVERY_MS);
    let backfill: BackfillFigures;
    try {
      backfill = await runBackfill(table, stateDir, options, sync, syncEnvironment);
    } finally {
      clearInterval(status);
    }
    const writes = await writer.stop();
    console.log(
      `${BENCH}: backfill ${backfill.status}: ${backfill.indexed} indexed, ${backfill.stale} already newer, ${backfill.failed} failed, ${backfill.itemsPerSecond} items/s, peak RSS ${backfill.peakRssMiB} MiB; writer stopped after ${writes.operations} operations`,
    );
    await runner.drained({ timeoutMs: DRAIN_TIMEOUT_MS });
    const recordsProcessed = runner.status().totals.recordsProcessed;
    await runner.stop();
    runner = undefined;

    await openSearch.indices.refresh({ index: `${index}-write` });
    const verify = await runVerify(table, options, sync, syncEnvironment);
    const deadLetters = await queueDepth(sqs, dlqUrl);
    const passed =
      verify.status === 'clean' && backfill.failed === 0 && batchesGivenUp === 0 && deadLetters === 0 && writes.failedOperations === 0;
    console.log(
      `${BENCH}: verify ${verify.status} (${JSON.stringify(verify.drift)}) in ${round(verify.durationMs / 1000)} s; ${passed ? 'passed' : 'FAILED'}`,
    );

    const result: BackfillLiveResult = {
      ...envelopeOf(BENCH, argv, start),
      settings: {
        items: options.items,
        itemBytes: options.itemBytes,
        segments: options.segments,
        concurrency: options.concurrency,
        writeRatePerSecond: options.writeRate,
        seed: options.seed,
        schema: 'product',
        runnerBatchSize: 100,
      },
      quick: options.quick,
      notes: [
        'the table is loaded before its stream is enabled (as when the sync is switched on for an existing table): only the backfill can bring those items into the index.',
        'writer: random products among the loaded ones and 2 % more; half updates (conditional on the item existing), a quarter deletes, a quarter puts (re-creating deleted items or adding new ones).',
        `the stream runner (Lambda-like, batch 100, ${LAMBDA_POLL_INTERVAL_MS} ms polling) and the indexer run in the bench process; backfill and verify are the CLI (tools/backfill) in child processes; peak RSS is getrusage of each child.`,
        'verify compares every table item with its document (content hash) and looks for documents without an item; it runs after the writer stopped and the runner drained.',
      ],
      loadSeconds,
      backfill,
      writer: writes,
      runner: { recordsProcessed, batchesGivenUp },
      deadLetters,
      verify,
      passed,
    };
    publishResult(options.outDir, result, markdown(result));
    if (!passed)
      throw new BenchError(
        `the backfill under load did not converge: verify ${verify.status} ${JSON.stringify(verify.drift)}, backfill failed ${backfill.failed}, batches given up ${batchesGivenUp}, dead letters ${deadLetters}, writer errors ${writes.failedOperations}`,
      );
    return result;
  } finally {
    await runner?.stop();
    await fixture.cleanUp();
    await deleteTable(dynamo, table);
    rmSync(stateDir, { recursive: true, force: true });
    dynamo.destroy();
    sqs.destroy();
    await openSearch.close();
  }
}

async function enableStream(dynamo: DynamoDBClient, table: string): Promise<void> {
  const response = await dynamo.send(
    new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
  );
  if (response.TableDescription?.LatestStreamArn === undefined)
    throw new BenchError(`enabling the stream of ${table} returned no stream ARN`);
}

async function runBackfill(
  table: string,
  stateDir: string,
  options: LiveOptions,
  sync: BenchSyncSelection,
  env: Record<string, string>,
): Promise<BackfillFigures> {
  const args = [
    'backfill',
    '--table',
    table,
    '--segments',
    String(options.segments),
    '--concurrency',
    String(options.concurrency),
    '--progress',
    'none',
  ];
  const state = [
    '--checkpoint-file',
    path.join(stateDir, 'backfill.checkpoint.json'),
    '--failures-file',
    path.join(stateDir, 'backfill.failures.ndjson'),
  ];
  const { run, summary: line } = await runBackfillCli([...args, ...state], sync, { ...process.env, ...env }, [0, 1]);
  const summary = line as { status?: string; counts?: Record<string, number>; itemsPerSecond?: number; durationMs?: number };
  const counts = summary.counts ?? {};
  return {
    status: String(summary.status),
    read: counts['read'] ?? 0,
    indexed: counts['indexed'] ?? 0,
    stale: counts['stale'] ?? 0,
    failed: counts['failed'] ?? 0,
    itemsPerSecond: round(summary.itemsPerSecond ?? 0),
    durationMs: round(summary.durationMs ?? 0),
    peakRssMiB: run.peakRssMiB,
  };
}

async function runVerify(
  table: string,
  options: LiveOptions,
  sync: BenchSyncSelection,
  env: Record<string, string>,
): Promise<VerifyFigures> {
  const args = [
    'verify',
    '--table',
    table,
    '--segments',
    String(options.segments),
    '--concurrency',
    String(options.concurrency),
    '--progress',
    'none',
  ];
  const { run, summary: line } = await runBackfillCli(args, sync, { ...process.env, ...env }, [0, 1]);
  const summary = line as Partial<VerifyFigures>;
  return {
    status: String(summary.status),
    drift: summary.drift ?? {},
    counts: summary.counts,
    itemsCompared: summary.itemsCompared ?? 0,
    documentsChecked: summary.documentsChecked ?? 0,
    extrasProven: summary.extrasProven ?? [],
    durationMs: round(summary.durationMs ?? 0),
    peakRssMiB: run.peakRssMiB,
  };
}

async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const response = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(response.Attributes?.['ApproximateNumberOfMessages'] ?? 0) +
    Number(response.Attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0)
  );
}

function markdown(result: BackfillLiveResult): string {
  const { backfill, verify, writer } = result;
  return resultMarkdown(result, 'Backfill while the table changes', [
    `**${result.passed ? 'Passed' : 'FAILED'}: verify ${verify.status}** (missing ${verify.drift['missing'] ?? 0}, different ${verify.drift['different'] ?? 0}, extra ${verify.drift['extra'] ?? 0}, invalid ${verify.drift['invalid'] ?? 0}).`,
    markdownTable(
      ['what', 'figure'],
      [
        ['items loaded before the sync (no stream)', `${result.settings['items']} in ${result.loadSeconds} s`],
        [
          'backfill: read / indexed / already newer / failed',
          `${backfill.read} / ${backfill.indexed} / ${backfill.stale} / ${backfill.failed}`,
        ],
        [
          'backfill: items/s, duration, peak RSS',
          `${backfill.itemsPerSecond} items/s, ${round(backfill.durationMs / 1000)} s, ${backfill.peakRssMiB ?? 'n/a'} MiB`,
        ],
        [
          'writer meanwhile: operations (updates / deletes / puts), conditional misses',
          `${writer.operations} (${writer.updates} / ${writer.deletes} / ${writer.puts}), ${writer.conditionalMisses}`,
        ],
        [
          'stream runner: records indexed, batches given up; DLQ messages',
          `${result.runner.recordsProcessed}, ${result.runner.batchesGivenUp}; ${result.deadLetters}`,
        ],
        [
          'verify: items compared, documents scrolled for extras, duration, peak RSS',
          `${verify.itemsCompared}, ${verify.documentsChecked}${verify.extrasProven.length > 0 ? ' (extras proven absent by the counts)' : ''}, ${round(verify.durationMs / 1000)} s, ${verify.peakRssMiB ?? 'n/a'} MiB`,
        ],
      ],
    ),
  ]);
}

if (require.main === module) runMain(async () => void (await backfillLive(process.argv.slice(2))));
