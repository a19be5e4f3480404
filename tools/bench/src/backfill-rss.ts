import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Command } from 'commander';
import { runBackfillCli, type BenchSyncSelection } from './backfill-cli';
import { BenchError, InvalidBenchOptionError } from './errors';
import { createTable, deleteTable, dynamoClient, openSearchClient, s3Client, stackEndpoints } from './local';
import { numberList, runMain, wholeNumber } from './options';
import { loadItems, productItem } from './product-table';
import { deleteIndexes } from './resources';
import { round } from './stats';

/**
 * Measures the peak RSS of a backfill as the table grows: for each size, seeds a fresh source (a table, or a
 * DynamoDB export in S3 with `--source export`: much faster to fill than moto) with products carrying a payload of
 * `--payload-bytes`, then runs the backfill CLI (tools/backfill) in a child process whose peak RSS (ru_maxrss) and
 * V8 heap (sampled every 10 ms) are recorded, and prints one JSON line per size plus a table. Each size runs in its
 * own process, so one run's heap does not carry over into the next; `--max-old-space-size` caps the child's heap
 * below the data size, so a loader that held the table in memory would fail.
 *
 * Usage: npx nx run bench:backfill-rss -- --items 2000,8000 [--payload-bytes 2048] [--source scan|export]
 *        [--segments 4] [--concurrency 4] [--page-size 100] [--max-old-space-size <MB>] [--verify]
 */

/** One measured backfill. */
export interface RssSample {
  readonly source: BenchSource;
  readonly items: number;
  readonly payloadBytes: number;
  /** Raw item bytes seeded (approximate). */
  readonly tableBytes: number;
  /** RSS of the child when it started (before the CLI and its modules loaded). */
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly indexed: number;
  readonly stale: number;
  readonly failed: number;
  /** Reason of the first failure, if any (the failures file is deleted with the run). */
  readonly firstFailure?: string;
  readonly pageRetries: number;
  /** The backfill's own duration (first read to last write), as its summary reports it. */
  readonly durationMs: number;
  /** `--max-old-space-size` of the child, when limited. */
  readonly heapLimitMb: number | undefined;
  /** With `--verify`: a full verify after the backfill (its memory is not in the peaks above). */
  readonly verify?: {
    readonly status: string;
    readonly durationMs: number;
    readonly itemsCompared: number;
    readonly documentsChecked: number;
  };
}

/** Where the benchmarked backfill reads. */
export type BenchSource = 'scan' | 'export';

/** Options of {@link benchRss}. */
export interface RssBenchOptions {
  readonly source: BenchSource;
  readonly items: readonly number[];
  readonly payloadBytes: number;
  readonly segments: number;
  readonly concurrency: number;
  /** Scan `Limit` / export page size; 0 = 1 MB Scan pages (1,000 items for an export). */
  readonly pageSize: number;
  readonly maxOldSpaceSize: number | undefined;
  /** Run a full verify after each backfill. */
  readonly verify: boolean;
}

const MB = 1024 * 1024;
/** JSON bytes of a product item besides its description (so `--payload-bytes` stays the description's length). */
const PRODUCT_OVERHEAD_BYTES = 230;
const SEED = 1;
const EXPORT_FILES = 4;

/** Runs the bench for every size in `options.items` and returns the samples. */
export async function benchRss(
  options: RssBenchOptions,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RssSample[]> {
  const dynamo = dynamoClient();
  const s3 = s3Client();
  const samples: RssSample[] = [];
  try {
    for (const items of options.items) {
      const name = `bench-rss-${Date.now().toString(36)}-${items}`;
      const seedStartedAt = Date.now();
      const location =
        options.source === 'scan'
          ? await seedTable(name, items, options.payloadBytes)
          : await seedExport(s3, name, items, options.payloadBytes);
      const seedMs = Date.now() - seedStartedAt;
      try {
        const sample = await measureBackfill(name, location, items, options);
        samples.push(sample);
        log(JSON.stringify({ msg: 'bench-rss', seedMs, ...sample }));
      } finally {
        if (options.source === 'scan') await deleteTable(dynamo, name).catch(() => undefined);
        else await deleteBucket(s3, name).catch(() => undefined);
        await removeIndexes(name);
      }
    }
  } finally {
    dynamo.destroy();
    s3.destroy();
  }
  log(formatTable(samples));
  return samples;
}

function itemOf(position: number, payloadBytes: number): Record<string, unknown> {
  return productItem(position, payloadBytes + PRODUCT_OVERHEAD_BYTES, (position % 1000) * 100);
}

async function seedTable(table: string, items: number, payloadBytes: number): Promise<string> {
  const dynamo = dynamoClient();
  try {
    await createTable(dynamo, table);
    await loadItems(dynamo, table, items, payloadBytes + PRODUCT_OVERHEAD_BYTES, SEED);
  } finally {
    dynamo.destroy();
  }
  return table;
}

/** Writes a DYNAMODB_JSON export of `items` products (four data files) to a new bucket; returns its URL. */
async function seedExport(s3: S3Client, bucket: string, items: number, payloadBytes: number): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (let file = 0; file < EXPORT_FILES; file += 1) {
    const lines: string[] = [];
    for (let n = file; n < items; n += EXPORT_FILES) lines.push(JSON.stringify({ Item: marshall(itemOf(n, payloadBytes)) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `export/data/file-${file}.json.gz`, Body: gzipSync(lines.join('\n')) }));
  }
  return `s3://${bucket}/export`;
}

async function deleteBucket(s3: S3Client, bucket: string): Promise<void> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const objects = (listed.Contents ?? []).map((object) => ({ Key: object.Key }));
  if (objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

async function removeIndexes(table: string): Promise<void> {
  const client = openSearchClient();
  try {
    await deleteIndexes(client, `${table}-products`);
  } finally {
    await client.close();
  }
}

/** The bench sync the backfill writes through: the products of the seeded table, into `<table>-products`. */
function benchSyncOf(table: string): BenchSyncSelection {
  return { name: 'bench-products', indexes: { index: `${table}-products` } };
}

function benchEnvironment(): NodeJS.ProcessEnv {
  const endpoints = stackEndpoints();
  return {
    ...process.env,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    OPENSEARCH_NODE: endpoints.opensearch,
    S3_ENDPOINT: endpoints.s3,
    AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'] ?? endpoints.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] ?? endpoints.credentials.secretAccessKey,
    AWS_REGION: process.env['AWS_REGION'] ?? endpoints.region,
  };
}

/** Runs `backfill` on the seeded source in a child process and reads its summary and memory figures. */
async function measureBackfill(name: string, location: string, items: number, options: RssBenchOptions): Promise<RssSample> {
  const directory = await mkdtemp(path.join(tmpdir(), 'bench-rss-'));
  const heapFile = path.join(directory, 'heap.json');
  const failuresFile = path.join(directory, 'failures.ndjson');
  const sourceArgs =
    options.source === 'scan'
      ? [
          '--table',
          location,
          '--segments',
          String(options.segments),
          ...(options.pageSize > 0 ? ['--page-size', String(options.pageSize)] : []),
        ]
      : [
          '--export',
          location,
          '--export-time',
          new Date().toISOString(),
          '--page-size',
          String(options.pageSize > 0 ? options.pageSize : 1_000),
        ];
  const args = [
    'backfill',
    ...sourceArgs,
    '--concurrency',
    String(options.concurrency),
    '--checkpoint-file',
    path.join(directory, 'checkpoint.json'),
    '--failures-file',
    failuresFile,
    '--max-page-attempts',
    '8',
    '--progress',
    'none',
  ];
  const nodeOptions = [
    process.env['NODE_OPTIONS'],
    options.maxOldSpaceSize === undefined ? undefined : `--max-old-space-size=${options.maxOldSpaceSize}`,
    `--require ${path.join(__dirname, 'heap-probe.cjs')}`,
  ];
  try {
    const { run, summary } = await runBackfillCli(
      args,
      benchSyncOf(name),
      { ...benchEnvironment(), BENCH_HEAP_FILE: heapFile, NODE_OPTIONS: nodeOptions.filter(Boolean).join(' ') },
      [0, 1],
    );
    const heap = JSON.parse(await readFile(heapFile, 'utf8')) as { baselineRssMiB: number; peakHeapUsedMiB: number };
    const backfill = summary as unknown as {
      counts: { indexed: number; stale: number; failed: number };
      pageRetries: number;
      durationMs: number;
    };
    if (run.peakRssMiB === undefined) throw new BenchError(`the backfill child for ${items} items reported no peak RSS`);
    const verify = options.verify && options.source === 'scan' ? await verifyAfter(name, location, options) : undefined;
    return {
      source: options.source,
      items,
      payloadBytes: options.payloadBytes,
      tableBytes: items * (options.payloadBytes + PRODUCT_OVERHEAD_BYTES),
      baselineRssMb: heap.baselineRssMiB,
      peakRssMb: run.peakRssMiB,
      peakHeapUsedMb: heap.peakHeapUsedMiB,
      indexed: backfill.counts.indexed,
      stale: backfill.counts.stale,
      failed: backfill.counts.failed,
      ...(backfill.counts.failed > 0 ? { firstFailure: await firstFailureReason(failuresFile) } : {}),
      pageRetries: backfill.pageRetries,
      durationMs: backfill.durationMs,
      heapLimitMb: options.maxOldSpaceSize,
      ...(verify === undefined ? {} : { verify }),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function verifyAfter(name: string, table: string, options: RssBenchOptions): Promise<NonNullable<RssSample['verify']>> {
  const client = openSearchClient();
  try {
    await client.indices.refresh({ index: `${table}-products-write` });
  } finally {
    await client.close();
  }
  const args = [
    'verify',
    '--table',
    table,
    '--segments',
    String(options.segments),
    '--concurrency',
    String(options.concurrency),
    ...(options.pageSize > 0 ? ['--page-size', String(options.pageSize)] : []),
    '--progress',
    'none',
  ];
  const { summary } = await runBackfillCli(args, benchSyncOf(name), benchEnvironment(), [0, 1]);
  const verify = summary as unknown as { status: string; durationMs: number; itemsCompared: number; documentsChecked: number };
  return {
    status: verify.status,
    durationMs: verify.durationMs,
    itemsCompared: verify.itemsCompared,
    documentsChecked: verify.documentsChecked,
  };
}

async function firstFailureReason(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const first = text.split('\n', 1)[0] ?? '';
  return first === '' ? 'unknown' : String((JSON.parse(first) as { reason?: unknown }).reason);
}

function formatTable(samples: readonly RssSample[]): string {
  const header = 'source  items    table MB  baseline RSS MB  peak RSS MB  peak heap MB  indexed  seconds';
  const rows = samples.map((sample) =>
    [
      sample.source.padEnd(7),
      String(sample.items).padEnd(8),
      (sample.tableBytes / MB).toFixed(1).padStart(8),
      sample.baselineRssMb.toFixed(1).padStart(16),
      sample.peakRssMb.toFixed(1).padStart(12),
      sample.peakHeapUsedMb.toFixed(1).padStart(13),
      String(sample.indexed).padStart(8),
      round(sample.durationMs / 1000)
        .toFixed(1)
        .padStart(8),
    ].join(' '),
  );
  return [header, ...rows].join('\n');
}

/** Parses the command line (bad values exit 2 naming the option). */
export function parseRssOptions(argv: readonly string[]): RssBenchOptions {
  const program = new Command('backfill-rss')
    .option('--items <list>', 'table sizes, comma-separated', '2000,8000')
    .option('--source <kind>', 'scan (a moto table) or export (a DynamoDB export in S3)', 'scan')
    .option('--payload-bytes <n>', 'bytes of description per item', '2048')
    .option('--segments <n>', 'parallel Scan segments', '4')
    .option('--concurrency <n>', 'segments at a time', '4')
    .option('--page-size <n>', 'Scan Limit (0: 1 MB pages)', '100')
    .option('--max-old-space-size <mb>', "limit the child's V8 heap (a run that needed the whole table in memory would fail)")
    .option('--verify', 'run a full verify after each (Scan) backfill and report its duration')
    .exitOverride()
    .parse([...argv], { from: 'user' });
  const raw = program.opts<Record<string, string | boolean | undefined>>();
  const source = String(raw['source']);
  if (source !== 'scan' && source !== 'export') throw new InvalidBenchOptionError('--source', source, 'scan or export');
  return {
    source,
    items: numberList('--items', String(raw['items'])),
    payloadBytes: wholeNumber('--payload-bytes', String(raw['payloadBytes']), 0),
    segments: wholeNumber('--segments', String(raw['segments'])),
    concurrency: wholeNumber('--concurrency', String(raw['concurrency'])),
    pageSize: wholeNumber('--page-size', String(raw['pageSize']), 0),
    maxOldSpaceSize: raw['maxOldSpaceSize'] === undefined ? undefined : wholeNumber('--max-old-space-size', String(raw['maxOldSpaceSize'])),
    verify: raw['verify'] === true,
  };
}

if (require.main === module) runMain(async () => void (await benchRss(parseRssOptions(process.argv.slice(2)))));
