import { Command } from 'commander';
import { jsonLines, runTypeScript } from '../child-run';
import { envelopeOf, startBench } from '../bench-start';
import { BenchError } from '../errors';
import { stackEndpoints } from '../local';
import { numberList, parseCommand, runMain, wholeNumber, withCommonOptions } from '../options';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { median, round, withSpread } from '../stats';
import type { BenchResult, CommonOptions } from '../types';

const BENCH = 'backfill-export';
const BENCH_RSS_ENTRY = 'tools/bench/src/backfill-rss.ts';
/** JSON length of a bench product with an empty description (the payload fills the rest of `--item-bytes`). */
const PRODUCT_OVERHEAD_BYTES = 230;

/** One backfill of an export into a fresh index, as `backfill:bench-rss` measured it. */
interface ExportRun {
  readonly indexed: number;
  readonly failed: number;
  readonly itemsPerSecond: number;
  readonly durationMs: number;
  readonly peakRssMiB: number;
  readonly peakHeapUsedMiB: number;
  readonly seedSeconds: number;
}

interface ExportSize {
  readonly items: number;
  readonly itemBytes: number;
  readonly runs: readonly ExportRun[];
  readonly median: { readonly itemsPerSecond: number; readonly peakRssMiB: number; readonly durationMs: number };
}

export type BackfillExportResult = BenchResult<{ readonly sizes: readonly ExportSize[] }>;

interface ExportOptions extends CommonOptions {
  readonly sizes: readonly number[];
  readonly itemBytes: number;
  readonly concurrency: number;
}

function parseOptions(argv: readonly string[]): ExportOptions {
  const program = withCommonOptions(new Command(BENCH))
    .description('Items/s and peak RSS of `backfill --export` (a DynamoDB export in S3: no moto Scan in the way) for growing sizes')
    .option('--sizes <list>', 'export sizes in items', '100000,1000000')
    .option('--item-bytes <n>', 'approximate item size', '1024')
    .option('--concurrency <n>', 'export data files read at once (the export has 4)', '4');
  const { raw, common } = parseCommand(program, argv);
  return {
    ...common,
    sizes: common.quick ? [1_000] : numberList('--sizes', String(raw['sizes'])),
    itemBytes: wholeNumber('--item-bytes', String(raw['itemBytes']), PRODUCT_OVERHEAD_BYTES),
    concurrency: wholeNumber('--concurrency', String(raw['concurrency'])),
  };
}

/**
 * Runs the bench (`npx nx run bench:backfill-export`): for each size and run, `backfill:bench-rss --source export`
 * writes a gzipped DYNAMODB_JSON export of that many products to S3Proxy and runs the backfill on it in a child
 * process whose RSS it samples. Writes `docs/benchmarks/backfill-export.{json,md}`.
 */
export async function backfillExportBench(argv: readonly string[]): Promise<BackfillExportResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH);
  const sizes: ExportSize[] = [];
  for (const items of options.sizes) {
    const runs: ExportRun[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      const measured = await runOnce(items, options);
      runs.push(measured);
      console.log(
        `${BENCH}: ${items} items, run ${run}: ${measured.itemsPerSecond} items/s, peak RSS ${measured.peakRssMiB} MiB (export written in ${measured.seedSeconds} s)`,
      );
    }
    sizes.push({
      items,
      itemBytes: options.itemBytes,
      runs,
      median: {
        itemsPerSecond: median(runs.map((run) => run.itemsPerSecond)),
        peakRssMiB: median(runs.map((run) => run.peakRssMiB)),
        durationMs: median(runs.map((run) => run.durationMs)),
      },
    });
  }
  const result: BackfillExportResult = {
    ...envelopeOf(BENCH, argv, start),
    settings: {
      runs: options.runs,
      itemBytes: options.itemBytes,
      concurrency: options.concurrency,
      pageSize: 1_000,
      dataFiles: 4,
      schema: 'product',
    },
    quick: options.quick,
    notes: [
      `each run: \`tsx ${BENCH_RSS_ENTRY} --source export --items <n>\` writes a fresh export (4 gzipped data files) to S3Proxy, then runs the backfill on it in a child process into a fresh index, sampling its RSS every 10 ms.`,
      'items/s = indexed items ÷ the backfill’s own duration (first read to last write); the export read costs no table capacity, so OpenSearch and the backfill itself set the pace here, not moto.',
      'peak RSS and peak heap are the child’s (the process that reads and indexes), MiB.',
    ],
    sizes,
  };
  publishResult(options.outDir, result, markdown(result));
  return result;
}

async function runOnce(items: number, options: ExportOptions): Promise<ExportRun> {
  const endpoints = stackEndpoints();
  const args = [
    '--source',
    'export',
    '--items',
    String(items),
    '--payload-bytes',
    String(options.itemBytes - PRODUCT_OVERHEAD_BYTES),
    '--concurrency',
    String(options.concurrency),
    '--page-size',
    '1000',
  ];
  const run = await runTypeScript(BENCH_RSS_ENTRY, args, {
    env: { ...process.env, DYNAMODB_ENDPOINT: endpoints.dynamodb, OPENSEARCH_NODE: endpoints.opensearch, S3_ENDPOINT: endpoints.s3 },
  });
  const line = jsonLines(run.stdout).find((entry) => entry['msg'] === 'bench-rss') as
    { seedMs: number; indexed: number; failed: number; durationMs: number; peakRssMb: number; peakHeapUsedMb: number } | undefined;
  if (line === undefined) throw new BenchError(`bench-rss printed no result: ${run.stdout.slice(-500)} ${run.stderr.slice(-1000)}`);
  if (line.indexed !== items) throw new BenchError(`the export backfill indexed ${line.indexed} of ${items} items (${line.failed} failed)`);
  return {
    indexed: line.indexed,
    failed: line.failed,
    itemsPerSecond: round((line.indexed / line.durationMs) * 1000),
    durationMs: round(line.durationMs),
    peakRssMiB: round(line.peakRssMb),
    peakHeapUsedMiB: round(line.peakHeapUsedMb),
    seedSeconds: round(line.seedMs / 1000),
  };
}

function markdown(result: BackfillExportResult): string {
  const rows = result.sizes.map((size) => [
    size.items,
    `${size.itemBytes} B`,
    withSpread(size.runs.map((run) => run.itemsPerSecond)),
    withSpread(size.runs.map((run) => run.peakRssMiB)),
    Math.round(size.median.durationMs / 1000),
  ]);
  return resultMarkdown(result, 'Backfill from a DynamoDB export', [
    `Medians of ${result.settings['runs']} runs per size, min–max in brackets.`,
    markdownTable(['items', 'item size', 'items/s (min–max)', 'peak RSS MiB (min–max)', 'backfill s'], rows),
  ]);
}

if (require.main === module) runMain(async () => void (await backfillExportBench(process.argv.slice(2))));
