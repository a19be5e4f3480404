/** Defaults of the backfill and verify commands. */
export const DEFAULTS = {
  /** Parallel Scan segments. */
  segments: 4,
  /** Segments read at the same time. */
  concurrency: 4,
  /** Items per page of an export file (a Scan page is at most 1 MB unless `--page-size` sets a Limit). */
  exportPageSize: 1_000,
  /** Attempts of a page's writes (each `applyWrites` call retries 429s on its own first). */
  maxPageAttempts: 8,
  /** Seconds between JSON progress lines. */
  progressIntervalSeconds: 10,
  /** Where checkpoints and failure files go unless given. */
  stateDirectory: '.cache/backfill',
  /** Keys per BatchGetItem request (the API maximum). */
  batchGetSize: 100,
  /** Documents per scroll page of the verify extras phase. */
  scrollPageSize: 1_000,
  /** Scroll context keep-alive between two pages. */
  scrollKeepAlive: '2m',
  /** Invalid table items listed (key and reason) in a verify summary; the `--report` file lists every one. */
  summaryInvalidItems: 20,
  /** Drifted keys repaired together (one BatchGetItem and one `applyWrites` per index). */
  repairBatchSize: 100,
  /** SDK attempts per DynamoDB request (throttling is retried by the SDK with its own backoff). */
  dynamoMaxAttempts: 10,
} as const;

/** Limits the options are validated against. */
export const LIMITS = {
  /** DynamoDB allows up to 1,000,000 parallel Scan segments. */
  maxSegments: 1_000_000,
  maxConcurrency: 256,
  /** Scan `Limit` accepts any positive integer; a page is still capped at 1 MB. */
  maxPageSize: 100_000,
} as const;

/** Back-pressure delays applied between page writes after OpenSearch pushed back. */
export const BACK_PRESSURE = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  /** The delay is multiplied by this after a push-back, divided by it after a clean page. */
  factor: 2,
} as const;

/** Version of the checkpoint file format. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** `kind` field of a checkpoint file: refuses to resume from an unrelated JSON file. */
export const CHECKPOINT_KIND = 'ddb-os-backfill-checkpoint';
