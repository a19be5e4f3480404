/** Defaults of the runner; each mirrors the Lambda event source mapping where one exists. */
export const DEFAULTS = {
  batchSize: 100,
  /** `drained()`: how long to wait at most, and how long nothing new must be processed. */
  drainTimeoutMs: 60_000,
  drainQuietMs: 1_500,
  batchingWindowMs: 0,
  maxRetryAttempts: 3,
  maxRecordAgeSeconds: -1,
  bisectBatchOnError: false,
  startPosition: 'TRIM_HORIZON',
  timeoutMs: 60_000,
  pollIntervalMs: 250,
  idlePollMaxMs: 1_000,
  describeIntervalMs: 10_000,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 10_000,
  functionName: 'stream-runner-handler',
  handlerSpec: 'apps/indexer/src/main.ts#handler',
  checkpointDirectory: '.cache/stream-runner',
  region: 'us-east-1',
  dynamodbEndpoint: 'http://127.0.0.1:8000',
  sqsEndpoint: 'http://127.0.0.1:9324',
} as const;

/** Limits of the Lambda event source mapping for DynamoDB Streams (and of GetRecords). */
export const LIMITS = {
  maxBatchSize: 10_000,
  maxBatchingWindowMs: 300_000,
  maxRetryAttempts: 10_000,
  maxRecordAgeSeconds: 604_800,
  maxGetRecordsLimit: 1_000,
} as const;

/** Throughput is averaged over this window. */
export const THROUGHPUT_WINDOW_MS = 10_000;
