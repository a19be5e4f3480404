import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Client } from '@opensearch-project/opensearch';
import { documentId, routeFor, type IndexRoute } from '@ddb-os/opensearch-mapping';
import { toJsonSafe, type JsonObject } from '@ddb-os/stream-decoding';
import type { SyncTargetConfig } from '@ddb-os/sync-config';
import type { DriftReport } from './drift-report';
import type { PlanContext } from './item-plan';
import { runConcurrently } from './pool';
import type { TokenBucket } from './rate-limit';
import { scanSegments, type ScanOptions, type TableInfo } from './table-scan';
import type { DriftEntry, ProgressReporter, RawItem, SegmentSource } from './types';

/** Options of {@link runVerify} (the CLI validates and defaults them). */
export interface VerifyOptions {
  readonly table: string;
  readonly segments: number;
  readonly concurrency: number;
  /** Scan `Limit`; default: 1 MB pages. */
  readonly pageSize?: number;
  /** Read capacity units per second for the Scans. */
  readonly maxRcu?: number;
  /** Or a percentage of the table's provisioned read capacity. */
  readonly maxRcuPercent?: number;
  /** Fraction of keys compared, in (0, 1]; chosen by a hash of the document id, so the same keys every run. */
  readonly sample: number;
  /** Varies which keys a sample picks. */
  readonly sampleSeed: string;
  /** Phase 1: routed table items per index vs read-alias counts. */
  readonly counts: boolean;
  /** Phase 2: every (sampled) table item vs its document. */
  readonly keys: boolean;
  /** Phase 3: every (sampled) document vs the table (documents without an item). */
  readonly extras: boolean;
  /**
   * Scroll an index in phase 3 even when phase 2 proved it has no extra documents (every item of the index matched
   * its document and the refreshed live count equals the number of items). Default: skip such indexes.
   */
  readonly fullExtras?: boolean;
  /** Fix each drifted key by re-reading the table (`source: 'repair'`). */
  readonly repair: boolean;
  /** NDJSON report of every drifted key. */
  readonly reportFile?: string;
}

/** Clients and configuration of {@link runVerify}. */
export interface VerifyDependencies {
  readonly dynamo: DynamoDBClient;
  readonly openSearch: Client;
  readonly target: SyncTargetConfig;
  readonly progress?: ProgressReporter;
  readonly signal?: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
}

/** What a verify run counted. */
export interface Tally {
  itemsScanned: number;
  itemsCompared: number;
  unrouted: number;
  documentsChecked: number;
  expiredKept: number;
  /** Phase 2, per index: items compared, and whether any of them drifted. */
  readonly comparedByIndex: Map<string, number>;
  readonly driftedIndexes: Set<string>;
  /** Indexes phase 3 skipped because phase 2 proved them free of extra documents. */
  readonly extrasProven: string[];
}

/** One verify run: its inputs, what it counted so far, and where findings go. */
export interface Run {
  readonly options: VerifyOptions;
  readonly dependencies: VerifyDependencies;
  readonly info: TableInfo;
  readonly plan: PlanContext;
  readonly report: DriftReport;
  readonly tally: Tally;
  readonly progress: ProgressReporter;
  readonly controller: AbortController;
  readonly limiter: TokenBucket | undefined;
  readonly found: (entry: DriftEntry) => Promise<void>;
}

export function segmentsOf(run: Run, projection?: readonly string[]): SegmentSource[] {
  const scan: ScanOptions = {
    dynamo: run.dependencies.dynamo,
    table: run.options.table,
    totalSegments: run.options.segments,
    pageSize: run.options.pageSize,
    projection,
    limiter: run.limiter,
    now: run.dependencies.now,
  };
  return scanSegments(scan);
}

export async function forEachPage(
  run: Run,
  phase: string,
  segments: readonly SegmentSource[],
  handle: (items: readonly RawItem[]) => Promise<void>,
): Promise<void> {
  const perSegment = run.info.itemCount ? Math.ceil(run.info.itemCount / segments.length) : undefined;
  run.progress.begin(
    phase,
    segments.map((segment) => ({
      id: segment.id,
      label: `segment ${segment.id.padStart(3)}`,
      ...(perSegment === undefined ? {} : { total: perSegment }),
    })),
  );
  await runConcurrently(
    segments,
    run.options.concurrency,
    async (segment) => {
      let done = 0;
      for await (const page of segment.pages(undefined, run.controller.signal)) {
        await handle(page.items);
        done += page.items.length;
        run.progress.update(segment.id, { done, finished: page.next === null });
      }
    },
    run.controller,
  );
  run.progress.end();
}

export function routeOf(raw: RawItem, routes: readonly IndexRoute[]): IndexRoute | undefined {
  try {
    return routeFor(toJsonSafe(raw), routes);
  } catch {
    return undefined;
  }
}

export function itemDocumentId(item: RawItem, keyAttributes: readonly string[]): string | undefined {
  try {
    return documentId(toJsonSafe(item), keyAttributes);
  } catch {
    return undefined;
  }
}

export function safeDocumentId(keys: JsonObject, keyAttributes: readonly string[]): string | undefined {
  try {
    return documentId(keys, keyAttributes);
  } catch {
    return undefined;
  }
}

/** Key and routing attributes: all the count and extras phases need of an item. */
export function routingProjection(run: Run): string[] {
  const routeAttributes = run.dependencies.target.routes.flatMap((route) => ('attribute' in route.match ? [route.match.attribute] : []));
  return [...new Set([...run.dependencies.target.keyAttributes, ...routeAttributes])];
}

export function indexesOf(routes: readonly IndexRoute[]): string[] {
  return [...new Set(routes.map((route) => route.index))];
}

/**
 * Whether a document id falls in the sample: a hash of the seed and the id, so a run with the same seed and
 * fraction compares the same keys (in the table phase and the extras phase alike).
 *
 * @example
 * inSample('UFJPRFVDVCMx.UFJPRFVDVA', { sample: 0.01, sampleSeed: '' });
 */
export function inSample(id: string, options: Pick<VerifyOptions, 'sample' | 'sampleSeed'>): boolean {
  if (options.sample >= 1) return true;
  const hash = createHash('sha256').update(options.sampleSeed).update('\u0000').update(id).digest();
  return hash.readUInt32BE(0) / 2 ** 32 < options.sample;
}
