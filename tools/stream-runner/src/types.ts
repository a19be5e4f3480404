import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/** A stream record exactly as GetRecords returns it (AWS SDK shape: `ApproximateCreationDateTime` is a Date). */
export type StreamRecord = _Record;

/** Where a shard without a checkpoint starts (Lambda's `StartingPosition`). */
export type StartPosition = 'TRIM_HORIZON' | 'LATEST';

/** What a handler may return: Lambda reads only `batchItemFailures`; anything else counts as full success. */
export type HandlerResult = DynamoDBBatchResponse | void | null | undefined;

/** A Lambda handler for DynamoDB stream events, called in-process with the Lambda event and context. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<HandlerResult> | HandlerResult;

/** One shard as DescribeStream reports it. */
export interface ShardDescription {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
  readonly startingSequenceNumber?: string | undefined;
  /** Present once the shard is closed (it receives no more records). */
  readonly endingSequenceNumber?: string | undefined;
}

/** One page of DescribeStream. */
export interface StreamDescriptionPage {
  readonly shards: readonly ShardDescription[];
  readonly lastEvaluatedShardId?: string | undefined;
  readonly streamStatus?: string | undefined;
}

export type ShardIteratorRequest =
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/**
 * The DynamoDB Streams calls the runner makes. Errors keep the AWS error `name`
 * (`ExpiredIteratorException`, `TrimmedDataAccessException`, `ResourceNotFoundException`, ...).
 */
export interface StreamsApi {
  describeStream(input: { streamArn: string; exclusiveStartShardId?: string | undefined }): Promise<StreamDescriptionPage>;
  getShardIterator(input: { streamArn: string; shardId: string; position: ShardIteratorRequest }): Promise<string | undefined>;
  getRecords(input: { shardIterator: string; limit: number }): Promise<{ records: StreamRecord[]; nextShardIterator: string | undefined }>;
}

/** DescribeTable, reduced to what the runner needs. */
export interface TablesApi {
  latestStreamArn(tableName: string): Promise<string | undefined>;
}

export type OnFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The record Lambda sends to an SQS/SNS on-failure destination for a discarded DynamoDB stream batch. */
export interface OnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: OnFailureCondition;
    approximateInvokeCount: number;
  };
  responseContext: {
    statusCode: number;
    executedVersion: string;
    functionError?: string;
  };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

/** Receives on-failure records (an SQS queue in practice). Must throw when the record was not stored. */
export interface OnFailureDestination {
  readonly description: string;
  send(record: OnFailureRecord): Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RunnerLogger {
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
}

/** Options of `new StreamRunner(...)`. Exactly one of `tableName` / `streamArn` is required. */
export interface StreamRunnerOptions {
  /** The function to invoke in-process. */
  readonly handler: StreamHandler;
  /** Resolve the stream with DescribeTable → LatestStreamArn. */
  readonly tableName?: string;
  /** Read this stream directly. */
  readonly streamArn?: string;
  /** Lambda function name shown in the context and the on-failure record. Default `stream-runner-handler`. */
  readonly functionName?: string;
  /** Records per invocation, 1–10,000. Default 100. */
  readonly batchSize?: number;
  /** How long to gather records before invoking, 0–300,000 ms. Default 0 (invoke as soon as records arrive). */
  readonly batchingWindowMs?: number;
  /** Retries of a failing batch before it is discarded, -1 (infinite) to 10,000. Default 3. */
  readonly maxRetryAttempts?: number;
  /** Discard records older than this, -1 (never) or 1–604,800 s (Lambda itself requires ≥ 60). Default -1. */
  readonly maxRecordAgeSeconds?: number;
  /** Split a failing batch in halves and retry each (does not consume retries). Default false. */
  readonly bisectBatchOnError?: boolean;
  /** Where shards without a checkpoint start on a stream seen for the first time. Default TRIM_HORIZON. */
  readonly startPosition?: StartPosition;
  /** Function timeout: `getRemainingTimeInMillis` counts down from it; a slower handler fails the batch. Default 60,000. */
  readonly timeoutMs?: number;
  /** Checkpoint JSON file. Default `.cache/stream-runner/<table>.json` under the working directory. */
  readonly checkpointFile?: string;
  /** Minimum pause between two GetRecords on one shard. Default 250 ms (about 4 polls per second, like Lambda). */
  readonly pollIntervalMs?: number;
  /** Longest pause between polls of an idle shard (the pause doubles while polls come back empty). Default 1,000 ms. */
  readonly idlePollMaxMs?: number;
  /** How often DescribeStream is repeated to find new shards. Default 10,000 ms. */
  readonly describeIntervalMs?: number;
  /** First retry delay; doubles per retry up to `retryMaxDelayMs`. Default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** Default 10,000 ms. */
  readonly retryMaxDelayMs?: number;
  /** How long `stop()` waits for in-flight invocations before abandoning them. Default `timeoutMs`. */
  readonly stopGraceMs?: number;
  /** Where discarded batches are reported. None: they are skipped with a warning (like Lambda without a destination). */
  readonly onFailure?: OnFailureDestination;
  /** DynamoDB Streams client. Default: AWS SDK client for `DYNAMODB_ENDPOINT`. */
  readonly streams?: StreamsApi;
  /** DynamoDB client for DescribeTable. Default: AWS SDK client for `DYNAMODB_ENDPOINT`. */
  readonly tables?: TablesApi;
  /** Default: warnings and errors as JSON lines on stderr. */
  readonly logger?: RunnerLogger;
  /** Clock in epoch ms (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** Options after validation and defaults. */
export interface RunnerConfig {
  readonly tableName: string | undefined;
  readonly streamArn: string | undefined;
  readonly functionName: string;
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly maxRetryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
  readonly startPosition: StartPosition;
  readonly timeoutMs: number;
  readonly checkpointFile: string | undefined;
  readonly pollIntervalMs: number;
  readonly idlePollMaxMs: number;
  readonly describeIntervalMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly stopGraceMs: number;
}

/** How one invocation of the handler ended. */
export type InvocationOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failedIndex: number; readonly itemIdentifier: string }
  | {
      readonly kind: 'failure';
      readonly reason: string;
      readonly functionError: 'Unhandled' | undefined;
      /** The handler threw a configuration error (`isConfigurationError` of `@ddb-os/sync-config`): it cannot run at all. */
      readonly configurationError?: boolean;
    };

/** Emitted after every invocation. */
export interface BatchResultEvent {
  readonly streamArn: string;
  readonly shardId: string;
  readonly requestId: string;
  readonly size: number;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  readonly outcome: InvocationOutcome['kind'];
  /** Invocations of this (sub-)batch so far, this one included. */
  readonly invokeCount: number;
  readonly durationMs: number;
  /** Sequence number checkpointed after this invocation, when it moved. */
  readonly checkpoint: string | undefined;
  readonly error: string | undefined;
}

/** Emitted when records are given up (retries exhausted or too old). */
export interface BatchDiscardedEvent {
  readonly streamArn: string;
  readonly shardId: string;
  readonly condition: OnFailureCondition;
  readonly record: OnFailureRecord;
  /** Whether an on-failure destination stored the record (false: none configured). */
  readonly delivered: boolean;
}

/** Emitted when records between the checkpoint and the trim horizon could not be read any more. */
export interface GapEvent {
  readonly streamArn: string;
  readonly shardId: string;
  readonly afterSequenceNumber: string | undefined;
  readonly reason: string;
}

export interface ShardLifecycleEvent {
  readonly streamArn: string;
  readonly shardId: string;
  readonly parentShardId: string | undefined;
}

/** Events of `StreamRunner` (an EventEmitter). */
export interface StreamRunnerEvents {
  batch: [BatchResultEvent];
  discarded: [BatchDiscardedEvent];
  gap: [GapEvent];
  'shard-started': [ShardLifecycleEvent];
  'shard-finished': [ShardLifecycleEvent];
  warning: [{ message: string; data: Record<string, unknown> }];
  stopped: [];
}

/** Emits one of the runner's events (the workers emit through the runner). */
export type EmitFn = <K extends keyof StreamRunnerEvents>(event: K, ...args: StreamRunnerEvents[K]) => void;

/**
 * `holding`: the handler cannot load its configuration, so the batch is re-offered with backoff and nothing is
 * consumed; `restarting`: the shard worker failed and restarts from its checkpoint after a backoff.
 */
export type ShardState =
  'waiting-for-parent' | 'starting' | 'polling' | 'invoking' | 'retrying' | 'holding' | 'restarting' | 'finished' | 'stopped';

export interface ShardStatus {
  shardId: string;
  parentShardId: string | undefined;
  state: ShardState;
  /** Last checkpointed sequence number (processed or discarded up to here). */
  checkpoint: string | undefined;
  lastProcessedSequenceNumber: string | undefined;
  /** ApproximateCreationDateTime of the last processed record, ISO. */
  lastProcessedRecordCreatedAt: string | undefined;
  /** now − ApproximateCreationDateTime of the last processed record; 0 when caught up; undefined before any record. */
  lagMs: number | undefined;
  /** Records read but not processed yet; undefined while unknown. */
  recordsBehind: number | undefined;
  caughtUp: boolean;
  recordsProcessed: number;
  recordsDiscarded: number;
  batchesInvoked: number;
  failedInvocations: number;
  /** Records per second over the last 10 s. */
  throughputPerSecond: number;
  /** Retry number of the batch being retried (0 when none). */
  retryAttempt: number;
  /** The last failure of the shard: a failed invocation, a failed call, or the error that stopped its worker. */
  lastError: string | undefined;
  /** When `lastError` happened, ISO. */
  lastErrorAt: string | undefined;
  /** How many times the shard worker failed and was restarted from its checkpoint. */
  workerRestarts: number;
}

export interface RunnerStatus {
  state: 'created' | 'starting' | 'running' | 'stopping' | 'stopped';
  tableName: string | undefined;
  streamArn: string | undefined;
  functionName: string;
  startedAt: string | undefined;
  checkpointFile: string | undefined;
  totals: {
    recordsProcessed: number;
    recordsDiscarded: number;
    batchesInvoked: number;
    failedInvocations: number;
    onFailureRecordsSent: number;
    gaps: number;
    throughputPerSecond: number;
    /** Largest lag over the shards. */
    maxLagMs: number | undefined;
    recordsBehind: number | undefined;
  };
  shards: ShardStatus[];
}
