/** DynamoDB Streams retention: a record can be re-delivered for this long after its change. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Default minimum age of a purged tombstone: stream retention plus a day for the longest table-reading run. */
export const DEFAULT_MIN_TOMBSTONE_AGE_MS = 2 * STREAM_RETENTION_MS;

/** Default request timeout of the OpenSearch client. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Default number of re-read rounds for a document that keeps hitting version conflicts. */
export const DEFAULT_MAX_CONFLICT_ROUNDS = 5;

/** Default time a request needs at least: no attempt starts with less left before the deadline. */
export const DEFAULT_MIN_ATTEMPT_MS = 250;

/** Default retries of `ensureIndex`'s check and creation of an index (the writers' default `RETRY_*`). */
export const DEFAULT_ENSURE_INDEX_RETRY = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 5_000 } as const;

/** Tombstones deleted per round of `purgeTombstones`. */
export const PURGE_BATCH_SIZE = 500;
