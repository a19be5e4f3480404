import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Client } from '@opensearch-project/opensearch';
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI_ENTRY, runBackfillCli } from '../backfill-cli';
import { envelopeOf, startBench } from '../bench-start';
import { BenchError } from '../errors';
import { createTable, deleteTable, dynamoClient, openSearchClient, stackEndpoints, uniqueName } from '../local';
import { numberList, parseCommand, runMain, wholeNumber, withCommonOptions } from '../options';
import { LOAD_CONCURRENCY, loadItems } from '../product-table';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { deleteIndexes } from '../resources';
import { median, round, withSpread } from '../stats';
import type { BenchResult, CommonOptions } from '../types';

const BENCH = 'backfill';

/** One backfill of a table into a fresh index. */
export interface BackfillRun {
  readonly indexed: number;
  /** As the backfill reports it (its own clock, from the first Scan to the last write). */
  readonly itemsPerSecond: number;
  readonly durationMs: number;
  /** Including process start-up (tsx compile) and shutdown. */
  readonly wallMs: number;
  readonly peakRssMiB: number | undefined;
  /** A parallel Scan of the same table with the same segments and nothing else, just before: moto's own read rate, the bound here. */
  readonly scanOnlyItemsPerSecond: number;
}

export interface BackfillSize {
  readonly items: number;
  readonly itemBytes: number;
  /** Time to load the table through BatchWriteItem (moto's own write rate, for context). */
  readonly loadItemsPerSecond: number;
  readonly runs: readonly BackfillRun[];
  readonly median: {
    readonly itemsPerSecond: number;
    readonly peakRssMiB: number | undefined;
    readonly wallMs: number;
    readonly scanOnlyItemsPerSecond: number;
  };
}

export type BackfillResult = BenchResult<{ readonly sizes: readonly BackfillSize[] }>;

interface BackfillOptions extends CommonOptions {
  readonly sizes: readonly number[];
  readonly itemBytes: number;
  readonly segments: number;
  readonly backfillArgs: readonly string[];
}

function parseOptions(argv: readonly string[]): BackfillOptions {
  const program = withCommonOptions(new Command(BENCH))
    .description('Items/s and peak RSS of `backfill` (tools/backfill CLI, in a child process) for tables of given sizes on moto')
    .option('--sizes <list>', 'table sizes in items', '100000')
    .option('--item-bytes <n>', 'approximate item size', '1024')
    .option('--segments <n>', 'backfill --segments', '4')
    .option('--concurrency <n>', 'backfill --concurrency', '4');
  const { raw, common } = parseCommand(program, argv);
  const segments = wholeNumber('--segments', String(raw['segments']));
  return {
    ...common,
    sizes: common.quick ? [500] : numberList('--sizes', String(raw['sizes'])),
    itemBytes: wholeNumber('--item-bytes', String(raw['itemBytes'])),
    segments,
    backfillArgs: ['--segments', String(segments), '--concurrency', String(wholeNumber('--concurrency', String(raw['concurrency'])))],
  };
}

/** Runs the bench: `npx nx run bench:backfill -- --sizes 100000`. Writes `docs/benchmarks/backfill.{json,md}`. */
export async function backfillBench(argv: readonly string[]): Promise<BackfillResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH, [`seed ${options.seed}`]);
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const sizes: BackfillSize[] = [];
  for (const items of options.sizes) sizes.push(await measureSize(dynamo, openSearch, options, items));
  const result: BackfillResult = {
    ...envelopeOf(BENCH, argv, start),
    settings: {
      runs: options.runs,
      seed: options.seed,
      itemBytes: options.itemBytes,
      backfillArgs: options.backfillArgs,
      schema: 'product',
      loadConcurrency: LOAD_CONCURRENCY,
    },
    quick: options.quick,
    notes: [
      `each run: \`tsx ${CLI_ENTRY} --definition <bench> --sync bench-products backfill --table <t> ${options.backfillArgs.join(' ')} --progress none\` in a child process into a fresh index; items/s is the backfill's own figure (first Scan to last write), wall time includes tsx start-up.`,
      'peak RSS = getrusage ru_maxrss of the child (preloaded probe), MiB.',
      'the table lives in moto (one Python process, in memory): before each run the same parallel Scan alone (same segments, no writes) is timed, to show the bound moto puts on the backfill here. It says nothing about DynamoDB itself.',
    ],
    sizes,
  };
  publishResult(options.outDir, result, markdown(result));
  return result;
}

async function measureSize(dynamo: DynamoDBClient, openSearch: Client, options: BackfillOptions, items: number): Promise<BackfillSize> {
  const table = uniqueName('bench-bf');
  const stateDir = mkdtempSync(path.join(tmpdir(), 'bench-backfill-'));
  await createTable(dynamo, table);
  try {
    const loadStart = performance.now();
    await loadItems(dynamo, table, items, options.itemBytes, options.seed);
    const loadItemsPerSecond = round((items / (performance.now() - loadStart)) * 1000);
    console.log(`${BENCH}: loaded ${items} items into ${table} at ${loadItemsPerSecond} items/s`);
    const runs: BackfillRun[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      const index = uniqueName('bench-bf');
      try {
        const scanOnlyItemsPerSecond = await scanRate(dynamo, table, options.segments, items);
        const measured = {
          ...(await runBackfill(table, index, path.join(stateDir, `run-${run}`), options.backfillArgs)),
          scanOnlyItemsPerSecond,
        };
        if (measured.indexed !== items) throw new BenchError(`backfill indexed ${measured.indexed} of ${items} items`);
        runs.push(measured);
        console.log(
          `${BENCH}: ${items} items, run ${run}: ${measured.itemsPerSecond} items/s (moto Scan alone ${scanOnlyItemsPerSecond} items/s), peak RSS ${measured.peakRssMiB} MiB`,
        );
      } finally {
        await deleteIndexes(openSearch, index);
      }
    }
    const rss = runs.map((run) => run.peakRssMiB).filter((value): value is number => value !== undefined);
    return {
      items,
      itemBytes: options.itemBytes,
      loadItemsPerSecond,
      runs,
      median: {
        itemsPerSecond: median(runs.map((run) => run.itemsPerSecond)),
        peakRssMiB: rss.length > 0 ? median(rss) : undefined,
        wallMs: median(runs.map((run) => run.wallMs)),
        scanOnlyItemsPerSecond: median(runs.map((run) => run.scanOnlyItemsPerSecond)),
      },
    };
  } finally {
    await deleteTable(dynamo, table);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Reads the whole table with a parallel Scan (`segments` at once), writing nothing; resolves with items/s. */
async function scanRate(dynamo: DynamoDBClient, table: string, segments: number, expected: number): Promise<number> {
  const start = performance.now();
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let count = 0;
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamo.send(
          new ScanCommand({ TableName: table, Segment: segment, TotalSegments: segments, ExclusiveStartKey: startKey }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return count;
    }),
  );
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total !== expected) throw new BenchError(`the Scan read ${total} of ${expected} items`);
  return round((total / (performance.now() - start)) * 1000);
}

async function runBackfill(
  table: string,
  index: string,
  stateFile: string,
  backfillArgs: readonly string[],
): Promise<Omit<BackfillRun, 'scanOnlyItemsPerSecond'>> {
  const endpoints = stackEndpoints();
  const { run, summary: line } = await runBackfillCli(
    [
      'backfill',
      '--table',
      table,
      ...backfillArgs,
      '--progress',
      'none',
      '--checkpoint-file',
      `${stateFile}.checkpoint.json`,
      '--failures-file',
      `${stateFile}.failures.ndjson`,
    ],
    { name: 'bench-products', indexes: { index } },
    {
      ...process.env,
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
      OPENSEARCH_NODE: endpoints.opensearch,
    },
  );
  const summary = line as { counts?: { indexed?: number }; itemsPerSecond?: number; durationMs?: number };
  if (summary.counts?.indexed === undefined)
    throw new BenchError(`backfill printed a summary without counts: ${JSON.stringify(summary).slice(0, 500)}`);
  return {
    indexed: summary.counts.indexed,
    itemsPerSecond: round(summary.itemsPerSecond ?? 0),
    durationMs: round(summary.durationMs ?? 0),
    wallMs: round(run.wallMs),
    peakRssMiB: run.peakRssMiB,
  };
}

function markdown(result: BackfillResult): string {
  const rows = result.sizes.map((size) => [
    size.items,
    `${size.itemBytes} B`,
    withSpread(size.runs.map((run) => run.itemsPerSecond)),
    withSpread(size.runs.map((run) => run.scanOnlyItemsPerSecond)),
    size.median.peakRssMiB ?? 'n/a',
    Math.round(size.median.wallMs / 1000),
    size.loadItemsPerSecond,
  ]);
  return resultMarkdown(result, 'Backfill', [
    `Medians of ${result.settings['runs']} runs per size.`,
    markdownTable(
      [
        'items',
        'item size',
        'backfill items/s (min–max)',
        'moto Scan alone items/s (min–max)',
        'peak RSS MiB',
        'wall s (incl. start-up)',
        'moto BatchWriteItem load items/s',
      ],
      rows,
    ),
  ]);
}

if (require.main === module) runMain(async () => void (await backfillBench(process.argv.slice(2))));
