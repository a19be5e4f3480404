import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';

// The metric contract is the Lambdas' own (defined once in @ddb-os/sync-contracts).
export { METRIC_NAMES, METRICS_NAMESPACE, METRICS_SERVICE_DIMENSION } from '@ddb-os/sync-contracts';

/** Lambda handler of both bundles. */
export const HANDLER = 'index.handler';

/** Node.js major version the bundles are built for (esbuild `target: node22` in each app's `bundle` target). */
export const BUNDLE_NODE_MAJOR = 22;

export const DEFAULT_CODE_PATHS = {
  indexer: 'dist/apps/indexer',
  failureHandler: 'dist/apps/failure-handler',
  streamReader: 'dist/apps/stream-reader',
  writer: 'dist/apps/opensearch-writer',
} as const;

/** Buffered mode: the writer's SQS FIFO batches, the buffer's redrive, and its lag alarm. */
export const BUFFER_DEFAULTS = {
  batchSize: 10,
  maxReceiveCount: 5,
  ageAlarmThreshold: Duration.minutes(5),
} as const;

/** What the event source mapping uses where the definition's `stream` / `failures` settings are left out. */
export const STREAM_DEFAULTS = {
  startingPosition: StartingPosition.TRIM_HORIZON,
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  parallelizationFactor: 1,
  retryAttempts: 10,
  maxRecordAge: Duration.hours(6),
  bisectBatchOnError: true,
} as const;

export const FUNCTION_DEFAULTS = {
  memorySize: 512,
  timeout: Duration.minutes(1),
  failureHandlerMemorySize: 512,
  failureHandlerTimeout: Duration.minutes(2),
  logLevel: 'INFO',
} as const;

/**
 * Bounds Lambda puts on the construct's own settings. The stream and failure settings (batch size, batching window,
 * parallelization, retries, record age) are the definition's, bounded by its validator.
 */
export const LIMITS = {
  memorySize: { min: 128, max: 10_240 },
  timeoutSeconds: { min: 1, max: 900 },
  reservedConcurrency: { min: 1, max: 1_000 },
  /** An SQS FIFO event source takes at most 10 messages per batch. */
  bufferBatchSize: { min: 1, max: 10 },
  bufferMaxReceiveCount: { min: 1, max: 1_000 },
  iteratorAgeAlarmSeconds: { min: 1, max: 24 * 3600 },
  queueAgeAlarmSeconds: { min: 60, max: 14 * 24 * 3600 },
  /** Lambda caps the total size of a function's environment variables at 4 KB. */
  environmentBytes: 4096,
  /** S3 rejects a transition to Standard-IA earlier than 30 days. */
  infrequentAccessMinDays: 30,
} as const;

/** DynamoDB Streams keep records 24 h; the failure handler must read a failed range before it is trimmed. */
export const STREAM_RETENTION = Duration.hours(24);
/** Time left to the failure handler under which a `maxRecordAge` earns a synth warning. */
export const FAILURE_HANDLER_MIN_HEADROOM = Duration.hours(1);

export const ARCHIVE_DEFAULTS = {
  infrequentAccessAfter: Duration.days(30),
  glacierAfter: Duration.days(90),
  /** The definition's `failures.archiveExpiryDays` default. */
  expireAfter: Duration.days(365),
} as const;

export const ALARM_DEFAULTS = {
  iteratorAge: Duration.minutes(1),
  queueAge: Duration.hours(1),
} as const;

/** SQS maximum retention: failure messages wait as long as possible for the handler or an operator. */
export const QUEUE_RETENTION = Duration.days(14);
/** Receives before a failure message the handler cannot process moves to the unprocessable queue. */
export const FAILURE_QUEUE_MAX_RECEIVE_COUNT = 5;
/** AWS recommends a visibility timeout of six times the consuming function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The only HTTP verbs the indexer needs (no DELETE: deletes are tombstone writes). */
export const INDEXER_DOMAIN_ACTIONS = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'] as const;

/** What `grantDomainRead` allows: GET/HEAD, and POST because `_search`, `_msearch` and `_count` are POSTs. */
export const DOMAIN_READ_ACTIONS = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'] as const;

/** Stream reads of the failure handler (re-reading failed ranges); ListStreams is not needed with a known ARN. */
export const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'] as const;

/** What a VPC-attached Lambda needs to manage its network interfaces (as in AWSLambdaVPCAccessExecutionRole, minus logs). */
export const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:UnassignPrivateIpAddresses',
] as const;

/**
 * The only actions the construct grants on `Resource: "*"`, each because it supports no resource-level
 * permissions: what the IAM5 acknowledgment covers, and nothing else.
 */
export const UNSCOPED_ACTION_REASONS: Readonly<Record<string, string>> = {
  'dynamodb:ListStreams': 'dynamodb:ListStreams (granted with the stream event source) supports no resource-level permissions.',
  'xray:PutTraceSegments': 'X-Ray PutTraceSegments/PutTelemetryRecords (tracing is on) support no resource-level permissions.',
  'xray:PutTelemetryRecords': 'X-Ray PutTraceSegments/PutTelemetryRecords (tracing is on) support no resource-level permissions.',
  ...Object.fromEntries(
    VPC_NETWORK_INTERFACE_ACTIONS.map((action) => [
      action,
      'Lambda network-interface management in a VPC (ec2:*NetworkInterface*, DescribeSubnets) needs Resource "*".',
    ]),
  ),
};
