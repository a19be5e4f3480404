import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { indexSchemas } from '@ddb-os/schemas';
import { loadSyncTargetConfig } from '@ddb-os/sync-config';
import { Command } from 'commander';
import { dynamoFromEnvironment, s3FromEnvironment } from './aws';
import { runBackfill } from './backfill';
import { runVerify } from './verify';

/**
 * Measures the peak RSS of a backfill as the table grows: for each size, seeds a fresh source (a table, or a
 * DynamoDB export in S3 with `--source export`: much faster to fill than moto) with products carrying a payload of
 * `--payload-bytes`, then runs the backfill in a child process that samples `process.memoryUsage()` every few
 * milliseconds, and prints one JSON line per size plus a table. Each size runs in its own process, so one run's
 * heap does not carry over into the next; `--max-old-space-size` caps the child's heap below the data size, so a
 * loader that held the table in memory would fail.
 *
 * Usage: tsx --tsconfig tsconfig.base.json tools/backfill/src/bench-rss.ts --items 2000,8000 [--payload-bytes 2048]
 *        [--source scan|export] [--segments 4] [--concurrency 4] [--page-size 100] [--max-old-space-size <MB>]
 */

/** One measured backfill. */
export interface RssSample {
  readonly source: BenchSource;
  readonly items: number;
  readonly payloadBytes: number;
  /** Raw item bytes seeded (approximate). */
  readonly tableBytes: number;
  /** RSS just before the backfill started. */
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly indexed: number;
  readonly stale: number;
  readonly failed: number;
  /** Reason of the first failure, if any (the failures file is deleted with the run). */
  readonly firstFailure?: string;
  readonly pageRetries: number;
  readonly durationMs: number;
  /** `--max-old-space-size` of the child, when limited. */
  readonly heapLimitMb: number | undefined;
  /** With `--verify`: a full verify after the backfill (its memory is not in the peaks above). */
  readonly verify?: { readonly status: string; readonly durationMs: number; readonly itemsCompared: number; readonly documentsChecked: number };
}

/** Where the benchmarked backfill reads. */
export type BenchSource = 'scan' | 'export';

/** Options of {@link benchRss}. */
export interface BenchOptions {
  readonly source: BenchSource;
  readonly items: number[];
  readonly payloadBytes: number;
  readonly segments: number;
  readonly concurrency: number;
  /** Scan `Limit` / export page size; 0 = 1 MB Scan pages (1,000 items for an export). */
  readonly pageSize: number;
  readonly maxOldSpaceSize: number | undefined;
  /** Run a full verify after each backfill. */
  readonly verify?: boolean;
}

const MB = 1024 * 1024;
const SAMPLE_INTERVAL_MS = 10;
const CHILD_FLAG = '--child-run';
/** Concurrent BatchWriteItem calls while seeding a table. */
const SEED_WRITERS = 4;

/** Runs the bench for every size in `options.items` and returns the samples. */
export async function benchRss(options: BenchOptions, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<RssSample[]> {
  const dynamo = dynamoFromEnvironment();
  const s3 = s3FromEnvironment();
  const samples: RssSample[] = [];
  try {
    for (const items of options.items) {
      const name = `bench-rss-${Date.now().toString(36)}-${items}`;
      const seedStartedAt = Date.now();
      const location = options.source === 'scan' ? await seedTable(dynamo, name, items, options.payloadBytes) : await seedExport(s3, name, items, options.payloadBytes);
      const seedMs = Date.now() - seedStartedAt;
      try {
        const sample = await runChild(name, location, items, options);
        samples.push(sample);
        log(JSON.stringify({ msg: 'bench-rss', seedMs, ...sample }));
      } finally {
        if (options.source === 'scan') await dynamo.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
        else await deleteBucket(s3, name).catch(() => undefined);
        await deleteIndexes(name);
      }
    }
  } finally {
    dynamo.destroy();
    s3.destroy();
  }
  log(formatTable(samples));
  return samples;
}

function benchProduct(n: number, description: string): Record<string, unknown> {
  return {
    pk: `PRODUCT#p${n}`,
    sk: 'PRODUCT',
    entityType: 'product',
    productId: `p${n}`,
    name: `Lamp ${n}`,
    description,
    category: 'lighting',
    price: n % 1000,
    tags: ['home'],
    inStock: true,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** Writes a DYNAMODB_JSON export of `items` products (four data files) to a new bucket; returns its URL. */
async function seedExport(s3: S3Client, bucket: string, items: number, payloadBytes: number): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const description = 'x'.repeat(payloadBytes);
  const files = 4;
  for (let file = 0; file < files; file += 1) {
    const lines: string[] = [];
    for (let n = file; n < items; n += files) lines.push(JSON.stringify({ Item: marshall(benchProduct(n, description)) }));
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

function benchEnvironment(table: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OPENSEARCH_NODE: process.env['OPENSEARCH_NODE'] ?? 'http://127.0.0.1:9200',
    INDEX_ROUTES: JSON.stringify([{ index: `${table}-products`, schema: 'product', match: { attribute: 'entityType', equals: 'product' } }]),
    KEY_ATTRIBUTES: 'pk,sk',
  };
}

async function seedTable(dynamo: DynamoDBClient, table: string, items: number, payloadBytes: number): Promise<string> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: table });
  const description = 'x'.repeat(payloadBytes);
  let next = 0;
  const writer = async (): Promise<void> => {
    for (let start = next; start < items; start = next) {
      next += 25;
      let pending: WriteRequest[] = Array.from({ length: Math.min(25, items - start) }, (_unused, offset) => ({
        PutRequest: { Item: marshall(benchProduct(start + offset, description)) },
      }));
      while (pending.length > 0) {
        const response = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
        pending = response.UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_WRITERS }, writer));
  return table;
}

async function deleteIndexes(table: string): Promise<void> {
  const target = loadSyncTargetConfig(benchEnvironment(table), 'bench');
  const client = createOpenSearchClient({ node: target.openSearch.node, auth: target.openSearch.auth });
  try {
    await client.indices.delete({ index: `${table}-products-*`, ignore_unavailable: true });
  } finally {
    await client.close();
  }
}

function runChild(name: string, location: string, items: number, options: BenchOptions): Promise<RssSample> {
  const args = [
    ...(options.maxOldSpaceSize === undefined ? [] : [`--max-old-space-size=${options.maxOldSpaceSize}`]),
    ...tsxArguments(),
    __filename,
    CHILD_FLAG,
    JSON.stringify({
      source: options.source,
      location,
      items,
      payloadBytes: options.payloadBytes,
      segments: options.segments,
      concurrency: options.concurrency,
      pageSize: options.pageSize,
      heapLimitMb: options.maxOldSpaceSize,
      verify: options.verify === true,
    }),
  ];
  return new Promise((resolve, reject) => {
    const env = { ...benchEnvironment(name), TSX_TSCONFIG_PATH: path.resolve(__dirname, '../../../tsconfig.base.json') };
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"rss":'));
      if (code !== 0 || line === undefined) {
        reject(new Error(`bench child for ${items} items exited with ${String(code)}:\n${stderr.slice(-2_000)}`));
        return;
      }
      resolve((JSON.parse(line) as { rss: RssSample }).rss);
    });
  });
}

/** The node arguments that load TypeScript through tsx, with the workspace path aliases. */
function tsxArguments(): string[] {
  const workspace = path.resolve(__dirname, '../../..');
  return ['--import', require.resolve('tsx/esm', { paths: [workspace] }), '--require', require.resolve('tsx/cjs', { paths: [workspace] })];
}

interface ChildRequest {
  readonly source: BenchSource;
  /** Table name, or export URL. */
  readonly location: string;
  readonly items: number;
  readonly payloadBytes: number;
  readonly segments: number;
  readonly concurrency: number;
  readonly pageSize: number;
  readonly heapLimitMb: number | undefined;
  readonly verify: boolean;
}

/** In the child: backfills the table while sampling memory; prints one `{"rss": …}` line. */
async function childRun(request: ChildRequest): Promise<void> {
  const target = loadSyncTargetConfig(process.env, 'bench');
  const dynamo = dynamoFromEnvironment();
  const s3 = s3FromEnvironment();
  const openSearch = createOpenSearchClient({ node: target.openSearch.node, auth: target.openSearch.auth });
  const directory = await mkdtemp(path.join(tmpdir(), 'bench-rss-'));
  const peak = { rss: 0, heapUsed: 0 };
  const sample = (): void => {
    const usage = process.memoryUsage();
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
  };
  const baselineRss = process.memoryUsage().rss;
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  const startedAt = Date.now();
  try {
    const summary = await runBackfill(
      {
        source:
          request.source === 'scan'
            ? { kind: 'scan', table: request.location, segments: request.segments, ...(request.pageSize > 0 ? { pageSize: request.pageSize } : {}) }
            : { kind: 'export', url: request.location, exportTime: new Date().toISOString(), pageSize: request.pageSize > 0 ? request.pageSize : 1_000 },
        concurrency: request.concurrency,
        checkpointFile: path.join(directory, 'checkpoint.json'),
        mode: 'fresh',
        failuresFile: path.join(directory, 'failures.ndjson'),
        maxPageAttempts: 8,
      },
      { dynamo, s3, openSearch, target, schemas: indexSchemas },
    );
    sample();
    const durationMs = Date.now() - startedAt;
    const verify = request.verify && request.source === 'scan' ? await verifyAfter(request, { dynamo, openSearch, target }) : undefined;
    const result: RssSample = {
      source: request.source,
      items: request.items,
      payloadBytes: request.payloadBytes,
      tableBytes: request.items * (request.payloadBytes + 200),
      baselineRssMb: round(baselineRss / MB),
      peakRssMb: round(peak.rss / MB),
      peakHeapUsedMb: round(peak.heapUsed / MB),
      indexed: summary.counts.indexed,
      stale: summary.counts.stale,
      failed: summary.counts.failed,
      ...(summary.counts.failed > 0 ? { firstFailure: await firstFailureReason(summary.failuresFile) } : {}),
      pageRetries: summary.pageRetries,
      durationMs,
      heapLimitMb: request.heapLimitMb,
      ...(verify === undefined ? {} : { verify }),
    };
    process.stdout.write(`${JSON.stringify({ rss: result })}\n`);
  } finally {
    clearInterval(timer);
    dynamo.destroy();
    s3.destroy();
    await openSearch.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function verifyAfter(
  request: ChildRequest,
  clients: Pick<Parameters<typeof runVerify>[1], 'dynamo' | 'openSearch' | 'target'>,
): Promise<NonNullable<RssSample['verify']>> {
  const startedAt = Date.now();
  await clients.openSearch.indices.refresh({ index: `${request.location}-products-write` });
  const summary = await runVerify(
    {
      table: request.location,
      segments: request.segments,
      concurrency: request.concurrency,
      ...(request.pageSize > 0 ? { pageSize: request.pageSize } : {}),
      sample: 1,
      sampleSeed: '',
      counts: true,
      keys: true,
      extras: true,
      repair: false,
    },
    { ...clients, schemas: indexSchemas },
  );
  return { status: summary.status, durationMs: Date.now() - startedAt, itemsCompared: summary.itemsCompared, documentsChecked: summary.documentsChecked };
}

async function firstFailureReason(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const first = text.split('\n', 1)[0] ?? '';
  return first === '' ? 'unknown' : String((JSON.parse(first) as { reason?: unknown }).reason);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
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
      (sample.durationMs / 1000).toFixed(1).padStart(8),
    ].join(' '),
  );
  return [header, ...rows].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const childAt = argv.indexOf(CHILD_FLAG);
  if (childAt >= 0) {
    await childRun(JSON.parse(argv[childAt + 1] ?? '{}') as ChildRequest);
    return;
  }
  const program = new Command('bench-rss')
    .option('--items <list>', 'table sizes, comma-separated', '2000,8000')
    .option('--source <kind>', 'scan (a moto table) or export (a DynamoDB export in S3)', 'scan')
    .option('--payload-bytes <n>', 'bytes of description per item', '2048')
    .option('--segments <n>', 'parallel Scan segments', '4')
    .option('--concurrency <n>', 'segments at a time', '4')
    .option('--page-size <n>', 'Scan Limit (0: 1 MB pages)', '100')
    .option('--max-old-space-size <mb>', "limit the child's V8 heap (a run that needed the whole table in memory would fail)")
    .option('--verify', 'run a full verify after each (Scan) backfill and report its duration')
    .parse([...argv]);
  const raw = program.opts<Record<string, string | undefined>>();
  const source = raw['source'] === 'export' ? 'export' : 'scan';
  await benchRss({
    source,
    items: (raw['items'] ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0),
    payloadBytes: Number(raw['payloadBytes']),
    segments: Number(raw['segments']),
    concurrency: Number(raw['concurrency']),
    pageSize: Number(raw['pageSize']),
    maxOldSpaceSize: raw['maxOldSpaceSize'] === undefined ? undefined : Number(raw['maxOldSpaceSize']),
    verify: program.opts<{ verify?: boolean }>().verify === true,
  });
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`bench-rss failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  });
}
