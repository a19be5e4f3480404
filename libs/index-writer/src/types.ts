import type { IndexSettingsOptions, JsonObject, JsonValue, OrderKey, WriteMeta } from '@ddb-os/opensearch-mapping';

/** Where a write goes: its base index and document id (outcomes are keyed by both). */
export interface WriteTarget {
  readonly index: string;
  readonly id: string;
}

/** One write an indexer, loader or repair job intends: the newest known state of one document. */
export interface IntendedWrite {
  /** Base index name (the read alias); writes go through `writeAlias(index)`. */
  readonly index: string;
  /** Document id (`documentId(keys, keyAttributes)`). */
  readonly id: string;
  /** Order key of the change (`streamOrderKey` / `snapshotOrderKey`). */
  readonly order: OrderKey;
  /** The item to index; `undefined` writes a tombstone. */
  readonly document: JsonObject | undefined;
  /** The item's table key attributes. */
  readonly keys: JsonObject;
  /** Where the write comes from (`streamWriteMeta(change)` or `{ source: 'backfill' }`, …). */
  readonly meta: WriteMeta;
  /**
   * The writer expects no document under this id: the changes this write stands for began with a stream INSERT (an
   * item's first state since its last REMOVE). Its first attempt is then a `create` without a read, as for a write
   * whose own `meta.eventName` is INSERT; a 409 sends it back to be read (docs/consistency.md). @default false
   */
  readonly expectsNoDocument?: boolean;
}

/**
 * What happened to one intended write:
 * - `applied`: the document now holds it;
 * - `stale`: the document already held this change or a newer one (nothing to do);
 * - `retryable`: not written (yet) — back-pressure, cluster trouble, persistent conflicts or the deadline;
 * - `poison`: the document itself was rejected (mapping, size); retrying cannot help.
 */
export type WriteOutcome =
  | { readonly status: 'applied' }
  | { readonly status: 'stale' }
  | { readonly status: 'retryable'; readonly reason: string }
  | { readonly status: 'poison'; readonly reason: string };

/** Full-jitter exponential backoff: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs · 2^(n−1))]. */
export interface RetryPolicy {
  /** Attempts per write, the first included (≥ 1). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Options of `applyWrites`. */
export interface ApplyWritesOptions {
  /** Maximum bytes of one `_bulk` request body; a single larger document is `poison`. */
  readonly maxBulkBytes: number;
  readonly retry: RetryPolicy;
  /** Milliseconds left before the caller must return (e.g. Lambda's remaining time minus a reserve). @default no limit */
  readonly msLeft?: () => number;
  /** Re-read rounds for a document that keeps hitting 409 conflicts; then `retryable`. @default 5 */
  readonly maxConflictRounds?: number;
  /** No request starts with less than this many of `msLeft`. @default 250 */
  readonly minAttemptMs?: number;
  /** Timeout of each `_mget` / `_bulk` request (capped by `msLeft`). @default the client's request timeout */
  readonly requestTimeoutMs?: number;
  /** Clock for `ddbSync.indexedAt`. @default () => new Date() */
  readonly now?: () => Date;
  /** Waits between retries (tests replace it). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Random source of the jitter, in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** Counters of one `applyWrites` call, for a structured log line or metrics. */
export interface WriteCounters {
  /** Writes now stored. */
  applied: number;
  /** Writes skipped because the stored order key was ≥ theirs. */
  stale: number;
  /** Writes re-read and re-planned after a 409. */
  conflictsRetried: number;
  /** Writes retried after a retryable failure (per retry). */
  retries: number;
  /** Writes whose outcome is `poison`. */
  poison: number;
  /** Writes whose final outcome is `retryable`. */
  retryable: number;
  mgetRequests: number;
  bulkRequests: number;
}

/** Options of `ensureIndex`. */
export interface EnsureIndexOptions {
  /** Base index name. */
  readonly index: string;
  /** The `mappings` body (`mappingFromZod(schema)`). */
  readonly mappings: object;
  /** Shards, replicas, refresh interval. */
  readonly settings?: IndexSettingsOptions;
  /** More `index.*` settings merged into the creation body, e.g. `{ gc_deletes: '1s' }`. */
  readonly additionalSettings?: Readonly<Record<string, JsonValue>>;
  /** Retries of the existence check and the creation (cluster down, 429, 5xx). @default DEFAULT_ENSURE_INDEX_RETRY */
  readonly retry?: RetryPolicy;
  /** Milliseconds left before the caller must return: no retry waits past it. @default no limit */
  readonly msLeft?: () => number;
  /** Waits between retries (tests replace it). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Random source of the jitter, in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** Options of `purgeTombstones`. */
export interface PurgeTombstonesOptions {
  /** Purge tombstones whose `ddbSync.indexedAt` is older than this many milliseconds. */
  readonly olderThanMs: number;
  /** @default new Date() */
  readonly now?: Date;
  /** Allow an age below the safe minimum (stream retention + loader runs). Tests only. @default false */
  readonly allowYoungTombstones?: boolean;
}

/** Result of `purgeTombstones`. */
export interface PurgeResult {
  readonly deleted: number;
  /** Tombstones overwritten or removed by someone else while the purge ran (left alone). */
  readonly versionConflicts: number;
}
