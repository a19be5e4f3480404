import type { AnyAttributeValue, JsonObject, JsonValue } from '@ddb-os/stream-decoding';

/** A table item in DynamoDB's AttributeValue form: from the API (binary as bytes) or an export file (binary as base64). */
export type RawItem = Record<string, AnyAttributeValue>;

/** Where a segment continues: a Scan `LastEvaluatedKey` (binary as base64) or a line number of an export file. */
export type SegmentPosition = JsonValue;

/** What happened to the items of one page, or of a whole run. */
export interface ItemCounts {
  /** Items read from the source. */
  read: number;
  /** Documents written (the index now holds the read state). */
  indexed: number;
  /** Items skipped because the index already held this state or a newer one (a streamed change, a delete). */
  stale: number;
  /** Items no index route matches. */
  unrouted: number;
  /** Items that can never be indexed as they are (schema, mapping, size): written to the failures file. */
  failed: number;
}

/** One page read from a source, with the wall-clock time taken before its read request was sent. */
export interface SourcePage {
  /** Epoch ms taken before the (strongly consistent) read; for an export, its `exportTime`. */
  readonly readAtMs: number;
  readonly items: readonly RawItem[];
  /** Where the segment continues after this page; `null` when the segment is finished. */
  readonly next: SegmentPosition | null;
  /** Read capacity units the read consumed (0 when unknown). */
  readonly consumedRcu: number;
  /** Where this page's read started (`undefined`: the segment's beginning). Tests assert resumption with it. */
  readonly startedFrom: SegmentPosition | undefined;
  /** Source records that are not items at all (e.g. a corrupt export line): they go to the failures file. */
  readonly rejected?: readonly { readonly reason: string; readonly record: JsonValue }[];
}

/** One independently resumable part of a source: a Scan segment or an export data file. */
export interface SegmentSource {
  /** Stable id, the checkpoint's key: the segment number or the data file's S3 key. */
  readonly id: string;
  /** Expected items, for the progress ETA (`undefined` when unknown). */
  readonly estimatedItems: number | undefined;
  /** The pages from `from` (the checkpointed position) or from the beginning. */
  pages(from: SegmentPosition | undefined, signal: AbortSignal): AsyncIterable<SourcePage>;
}

/** Where a backfill reads its items. */
export interface BackfillSource {
  /** Identity recorded in the checkpoint: a resumed run must read the same source. */
  readonly identity: string;
  readonly segments: readonly SegmentSource[];
}

/** One line of the failures file: an item that could not be indexed, with the reason. */
export interface FailureRecord {
  readonly failedAt: string;
  /** `table:<name>` or `export:s3://…`. */
  readonly source: string;
  readonly segment: string;
  /** The index the item routes to, when routing got that far. */
  readonly index?: string;
  /** The document id, when the key could be read. */
  readonly id?: string;
  /** The item's table key (JSON-safe), when it could be read. */
  readonly keys?: JsonObject;
  readonly reason: string;
  /** The item as read (JSON-safe; binary as base64). */
  readonly item: JsonValue;
}

/** One track of a progress display: a segment, an index, a phase. */
export interface ProgressTrack {
  readonly id: string;
  readonly label: string;
  /** Expected units of work, when known (drives the ETA). */
  readonly total?: number;
}

/** Progress of one track. */
export interface ProgressUpdate {
  /** Units done so far on this track. */
  readonly done: number;
  readonly finished?: boolean;
  /** Extra counters shown next to the track (indexed, stale, …). */
  readonly counters?: Readonly<Record<string, number>>;
}

/** Shows progress: bars on a terminal, JSON lines otherwise, or nothing. */
export interface ProgressReporter {
  begin(phase: string, tracks: readonly ProgressTrack[]): void;
  update(trackId: string, update: ProgressUpdate): void;
  end(): void;
}

/** The result of a backfill run (counts include earlier runs of a resumed backfill). */
export interface BackfillSummary {
  readonly status: 'completed' | 'aborted';
  readonly source: string;
  readonly segments: { readonly total: number; readonly done: number };
  readonly counts: ItemCounts;
  /** Pages read by this run (not counting earlier runs). */
  readonly pagesThisRun: number;
  /** Items read by this run. */
  readonly readThisRun: number;
  /** Page writes repeated after OpenSearch pushed back. */
  readonly pageRetries: number;
  readonly consumedRcu: number;
  readonly durationMs: number;
  readonly itemsPerSecond: number;
  readonly checkpointFile: string;
  readonly failuresFile: string;
}

/** Kinds of difference between the table and the index. */
export type DriftKind = 'missing' | 'different' | 'extra' | 'invalid';

/** What `--repair` did for one drifted key. */
export type RepairOutcome =
  | { readonly status: 'repaired' }
  | { readonly status: 'stale'; readonly reason: string }
  | { readonly status: 'unrepaired'; readonly reason: string };

/** One difference between the table and an index. */
export interface DriftEntry {
  readonly kind: DriftKind;
  /** Base index name; `undefined` for a table item that cannot be converted or routed (kind `invalid`). */
  readonly index: string | undefined;
  /** Document id; `undefined` when the item has no usable key (kind `invalid`). */
  readonly id: string | undefined;
  readonly keys: JsonObject | undefined;
  readonly reason: string;
  readonly repair?: RepairOutcome;
}

/** A table item verify could not compare: it cannot be converted, keyed, or validated for its index. */
export interface InvalidItem {
  readonly keys: JsonObject | undefined;
  readonly index: string | undefined;
  readonly reason: string;
}

/** Per-index counts of the first verify phase. */
export interface IndexCount {
  readonly index: string;
  /** Table items routed to the index. */
  readonly tableItems: number;
  /** Documents the read alias counts. */
  readonly documents: number;
}

/** The result of a verify run. */
export interface VerifySummary {
  /** `clean`: no drift left; `drift`: differences remain. */
  readonly status: 'clean' | 'drift';
  readonly table: string;
  /** Fraction of keys compared (1 = all). */
  readonly sample: number;
  readonly counts: readonly IndexCount[] | undefined;
  /** Table items read by the key phase. */
  readonly itemsScanned: number;
  /** Items (in the sample) compared with their document. */
  readonly itemsCompared: number;
  readonly unrouted: number;
  /** Documents (in the sample) checked for a table item in the extras phase. */
  readonly documentsChecked: number;
  /** Indexes the extras phase did not scroll: the key phase proved each holds exactly the table's items. */
  readonly extrasProven: readonly string[];
  /** Live documents of items expired by TTL and kept on purpose (the sync's `ttlDeletes: 'mark-expired'`). */
  readonly expiredKept: number;
  readonly drift: Readonly<Record<DriftKind, number>>;
  /** The first invalid table items (key, index when known, reason); every one is in the `--report` file. */
  readonly invalidItems: readonly InvalidItem[];
  readonly repair: { readonly repaired: number; readonly stale: number; readonly unrepaired: number } | undefined;
  readonly durationMs: number;
  readonly reportFile: string | undefined;
}
