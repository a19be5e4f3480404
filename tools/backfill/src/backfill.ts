import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@opensearch-project/opensearch';
import { ensureIndex } from '@ddb-os/index-writer';
import type { SyncTargetConfig } from '@ddb-os/sync-config';
import { CheckpointStore, type CheckpointMode } from './checkpoint';
import { InvalidOptionsError } from './errors';
import { openExport } from './export-source';
import { NdjsonWriter } from './ndjson-writer';
import { pageWriterFor, writePage, type PageWriterContext } from './page-writer';
import { childController, runConcurrently } from './pool';
import { silentProgress } from './progress';
import { BackPressure } from './rate-limit';
import { assertKeyAttributes, describeTable, readCapacityLimiter, scanSegments } from './table-scan';
import type { BackfillSource, BackfillSummary, ItemCounts, ProgressReporter, SegmentPosition, SegmentSource } from './types';

/** Where a backfill reads: a parallel Scan of the table, or a DynamoDB export in S3. */
export type BackfillSourceOptions =
  | {
      readonly kind: 'scan';
      readonly table: string;
      readonly segments: number;
      readonly pageSize?: number;
      readonly maxRcu?: number;
      readonly maxRcuPercent?: number;
    }
  | { readonly kind: 'export'; readonly url: string; readonly exportTime?: string; readonly pageSize: number };

/** Options of {@link runBackfill} (the CLI validates and defaults them). */
export interface BackfillOptions {
  readonly source: BackfillSourceOptions;
  /** Segments read at the same time. */
  readonly concurrency: number;
  readonly checkpointFile: string;
  /** `fresh` refuses an existing checkpoint, `resume` continues it, `restart` discards it. */
  readonly mode: CheckpointMode;
  /** NDJSON file of the items that could not be indexed. */
  readonly failuresFile: string;
  /** Attempts of a page's writes before the run stops. */
  readonly maxPageAttempts: number;
}

/** Clients, configuration and hooks of {@link runBackfill}. */
export interface BackfillDependencies {
  readonly dynamo: DynamoDBClient;
  /** Needed for an export source. */
  readonly s3?: S3Client;
  readonly openSearch: Client;
  readonly target: SyncTargetConfig;
  /** @default no progress display */
  readonly progress?: ProgressReporter;
  /** Aborting stops every segment after the page it is writing (committed), so `--resume` continues there. */
  readonly signal?: AbortSignal;
  /** Called after each committed page (tests abort halfway with it). */
  readonly onPageCommitted?: (event: PageCommittedEvent) => void;
  /** Back-pressure pauses (tests shorten them). */
  readonly backPressure?: BackPressure;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A page whose writes are applied and whose checkpoint is saved. */
export interface PageCommittedEvent {
  readonly segment: string;
  readonly startedFrom: SegmentPosition | undefined;
  readonly next: SegmentPosition | null;
  readonly counts: ItemCounts;
  /** Pages committed by this run so far (all segments). */
  readonly pagesThisRun: number;
}

interface RunState {
  pages: number;
  read: number;
  pageRetries: number;
  consumedRcu: number;
}

/**
 * Loads every item of a table (or of a DynamoDB export) into its routed index, the same way the stream indexer
 * writes: JSON-safe items, schema validation, and `applyWrites` with the page's snapshot order key, so it can run
 * while the indexer runs without overwriting newer changes or resurrecting deletes (docs/consistency.md).
 * Memory stays bounded: one page per segment being read at a time. Resumable from per-segment checkpoints.
 *
 * @example
 * const summary = await runBackfill(
 *   { source: { kind: 'scan', table: 'orders', segments: 8 }, concurrency: 4, checkpointFile: '.cache/backfill/orders.json',
 *     mode: 'fresh', failuresFile: '.cache/backfill/orders.failures.ndjson', maxPageAttempts: 8 },
 *   { dynamo, openSearch, target: loadSyncTargetConfig(syncs.named('orders').routingFor(['pk', 'sk']), process.env, 'backfill') },
 * );
 */
export async function runBackfill(options: BackfillOptions, dependencies: BackfillDependencies): Promise<BackfillSummary> {
  const now = dependencies.now ?? Date.now;
  const startedAt = now();
  const source = await openSource(options.source, dependencies);
  const checkpoint = await CheckpointStore.open({
    file: options.checkpointFile,
    source: source.identity,
    segmentIds: source.segments.map((segment) => segment.id),
    mode: options.mode,
  });
  const failures = new NdjsonWriter(options.failuresFile, { append: checkpoint.resumed });
  const controller = childController(dependencies.signal);
  const progress = dependencies.progress ?? silentProgress;
  const state: RunState = { pages: 0, read: 0, pageRetries: 0, consumedRcu: 0 };
  try {
    await ensureIndexes(dependencies);
    const writer = pageWriterFor(dependencies.target, {
      client: dependencies.openSearch,
      backPressure: dependencies.backPressure ?? new BackPressure(),
      maxPageAttempts: options.maxPageAttempts,
      failures,
      sourceIdentity: source.identity,
      source: 'backfill',
      signal: controller.signal,
    });
    const pending = source.segments.filter((segment) => checkpoint.segment(segment.id)?.done !== true);
    progress.begin(
      'backfill',
      source.segments.map((segment) => ({
        id: segment.id,
        label: segmentLabel(segment.id),
        ...(segment.estimatedItems === undefined ? {} : { total: segment.estimatedItems }),
      })),
    );
    for (const segment of source.segments) showSegment(progress, checkpoint, segment.id);
    await runConcurrently(
      pending,
      options.concurrency,
      (segment) => backfillSegment(segment, { checkpoint, writer, progress, state, controller, dependencies }),
      controller,
    );
  } finally {
    progress.end();
    await failures.close();
    await checkpoint.close();
  }
  return summarize(source, checkpoint, state, options, now() - startedAt);
}

interface SegmentRun {
  readonly checkpoint: CheckpointStore;
  readonly writer: PageWriterContext;
  readonly progress: ProgressReporter;
  readonly state: RunState;
  readonly controller: AbortController;
  readonly dependencies: BackfillDependencies;
}

async function backfillSegment(segment: SegmentSource, run: SegmentRun): Promise<void> {
  const from = run.checkpoint.segment(segment.id)?.position ?? undefined;
  for await (const page of segment.pages(from, run.controller.signal)) {
    const result = await writePage(page, segment.id, run.writer);
    run.state.pageRetries += result.retries;
    if (result.aborted) return;
    await run.checkpoint.commit(segment.id, { next: page.next, counts: result.counts });
    run.state.pages += 1;
    run.state.read += result.counts.read;
    run.state.consumedRcu += page.consumedRcu;
    showSegment(run.progress, run.checkpoint, segment.id);
    run.dependencies.onPageCommitted?.({
      segment: segment.id,
      startedFrom: page.startedFrom,
      next: page.next,
      counts: result.counts,
      pagesThisRun: run.state.pages,
    });
    if (run.controller.signal.aborted) return;
  }
}

async function openSource(options: BackfillSourceOptions, dependencies: BackfillDependencies): Promise<BackfillSource> {
  if (options.kind === 'export') {
    if (dependencies.s3 === undefined) throw new InvalidOptionsError('backfill', ['--export: no S3 client configured']);
    return openExport({ s3: dependencies.s3, url: options.url, exportTime: options.exportTime, pageSize: options.pageSize });
  }
  const info = await describeTable(dependencies.dynamo, options.table);
  assertKeyAttributes(options.table, info, dependencies.target.keyAttributes);
  const limiter = readCapacityLimiter(options.table, info, options);
  const segments = scanSegments({
    dynamo: dependencies.dynamo,
    table: options.table,
    totalSegments: options.segments,
    pageSize: options.pageSize,
    limiter,
    now: dependencies.now,
  });
  const perSegment = info.itemCount === undefined || info.itemCount === 0 ? undefined : Math.ceil(info.itemCount / options.segments);
  return { identity: `table:${options.table}`, segments: segments.map((segment) => ({ ...segment, estimatedItems: perSegment })) };
}

/**
 * Creates the routed indexes that do not exist yet (when `AUTO_CREATE_INDEXES` allows) before the first page. The page
 * writes would create an index they reach (`applyWritesEnsuringIndex`), but not the index of a route no item goes to:
 * after a backfill every routed index exists (so `ddb-os status` and searches find it), and a cluster that cannot
 * create one stops the run before anything is read.
 */
async function ensureIndexes(dependencies: BackfillDependencies): Promise<void> {
  if (!dependencies.target.autoCreateIndexes) return;
  for (const index of new Set(dependencies.target.routes.map((route) => route.index))) {
    await ensureIndex(dependencies.openSearch, { index, mappings: dependencies.target.shapes.mappingsOf(index) });
  }
}

function showSegment(progress: ProgressReporter, checkpoint: CheckpointStore, id: string): void {
  const saved = checkpoint.segment(id);
  if (saved === undefined) return;
  const { indexed, stale, unrouted, failed } = saved.counts;
  progress.update(id, { done: saved.counts.read, finished: saved.done, counters: { indexed, stale, unrouted, failed } });
}

function segmentLabel(id: string): string {
  return /^\d+$/.test(id) ? `segment ${id.padStart(3)}` : (id.split('/').pop() ?? id);
}

function summarize(
  source: BackfillSource,
  checkpoint: CheckpointStore,
  state: RunState,
  options: BackfillOptions,
  durationMs: number,
): BackfillSummary {
  const totals = checkpoint.totals();
  const { pages: _pages, segmentsDone, ...counts } = totals;
  return {
    status: segmentsDone === source.segments.length ? 'completed' : 'aborted',
    source: source.identity,
    segments: { total: source.segments.length, done: segmentsDone },
    counts,
    pagesThisRun: state.pages,
    readThisRun: state.read,
    pageRetries: state.pageRetries,
    consumedRcu: Math.round(state.consumedRcu * 10) / 10,
    durationMs,
    itemsPerSecond: Math.round((state.read / Math.max(0.001, durationMs / 1000)) * 10) / 10,
    checkpointFile: options.checkpointFile,
    failuresFile: options.failuresFile,
  };
}
