import type { IndexRoute as RuntimeIndexRoute, RouteMatch } from '@ddb-os/opensearch-mapping';
import type { Duration, Size } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type * as sns from 'aws-cdk-lib/aws-sns';

/**
 * How changes reach OpenSearch. `direct`: the indexer writes each stream batch with one `_bulk`.
 * `buffered`: a stream reader publishes each record to an SNS FIFO topic (one message group per
 * document), an SQS FIFO queue buffers them, and the OpenSearch writer indexes the queue's batches.
 */
export type SyncMode = 'direct' | 'buffered';

/**
 * Where the stream event source mapping sends a batch it gives up on. `sqs`: metadata only (shard and sequence
 * range) to the on-failure queue; the failure handler re-reads the range from the stream (a second stream reader).
 * `s3`: Lambda writes the whole failed batch to a dedicated bucket, which notifies the on-failure queue; the failure
 * handler reads the object, so nothing but the event source mapping reads the stream.
 */
export type OnFailureDestination = 'sqs' | 's3';

/**
 * One index route, passed verbatim (as JSON) to the indexer in `INDEX_ROUTES`: the type and the validator are
 * the indexer's own (`@ddb-os/opensearch-mapping`), so both sides accept exactly the same routes.
 */
export type IndexRoute = RuntimeIndexRoute;
/** Which items a route takes: an attribute equal to a value, starting with a prefix, or every item. */
export type IndexRouteMatch = RouteMatch;

/** Lifecycle of the archive bucket that keeps failed records for replay. */
export interface ArchiveLifecycle {
  /**
   * Move objects to S3 Standard-IA after this age.
   * @default Duration.days(30) — S3 accepts 30 days or more.
   */
  readonly infrequentAccessAfter?: Duration;
  /**
   * Move objects to S3 Glacier Flexible Retrieval after this age (must be later than `infrequentAccessAfter`).
   * @default Duration.days(90)
   */
  readonly glacierAfter?: Duration;
  /**
   * Delete objects after this age (must be later than `glacierAfter`). Archived records not replayed by
   * then are gone: keep it longer than your replay procedure can take.
   * @default Duration.days(365)
   */
  readonly expireAfter?: Duration;
}

/**
 * Properties of an OpenSearch domain the construct creates. Every key is optional: a given key
 * replaces the construct's default for that key as a whole (e.g. `capacity` replaces the default capacity).
 * Encryption at rest, node-to-node encryption and HTTPS cannot be turned off, and the access policy is
 * written by the construct (scoped to the indexer role), so `accessPolicies` is rejected.
 */
export type SyncDomainProps = Partial<opensearch.DomainProps>;

/** Properties of {@link DynamoDbToOpenSearch}. */
export interface DynamoDbToOpenSearchProps {
  /**
   * Existing table to sync. It must have a stream with view type NEW_AND_OLD_IMAGES; an imported table
   * must be imported with `tableStreamArn` (`Table.fromTableAttributes`).
   * Give exactly one of `table` and `tableProps`.
   * @default - none; a table is created from `tableProps`
   */
  readonly table?: dynamodb.ITable;
  /**
   * Properties of a table to create. The construct forces the stream to NEW_AND_OLD_IMAGES and point-in-time
   * recovery on, and defaults encryption to AWS-managed KMS.
   * @default - none; `table` is used
   */
  readonly tableProps?: dynamodb.TableProps;
  /**
   * Existing OpenSearch domain (endpoint + ARN, e.g. `Domain.fromDomainAttributes`). Its access policy must
   * admit `indexerRole` (exposed by the construct). Give exactly one of `domain` and `domainProps`.
   * @default - none; a domain is created from `domainProps`
   */
  readonly domain?: opensearch.IDomain;
  /**
   * Properties of a domain to create (OpenSearch 2.19 by default, encrypted, HTTPS with TLS 1.2, 3 data
   * nodes + 3 dedicated masters over 3 zones, slow and application logs to CloudWatch).
   * @default - none; `domain` is used
   */
  readonly domainProps?: SyncDomainProps;
  /**
   * VPC for the created domain and the indexer function (the indexer may then reach the domain on 443).
   * For an existing domain in a VPC, give its VPC and allow `indexerFunction.connections` on the domain.
   * @default - no VPC: the domain has a public endpoint reachable only with SigV4 requests from `indexerRole`
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets (in `vpc`) for the domain and the indexer.
   * @default - private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Index routes, passed to the indexer as JSON in `INDEX_ROUTES` and checked at synth by the indexer's own
   * validator (`validateIndexRoutes` of `@ddb-os/opensearch-mapping`): at least one route, valid base index names
   * (lowercase, not ending in `-write` or `-v<n>`), no route after a catch-all, one schema per index. Literal
   * values only; the whole indexer environment must stay under Lambda's 4 KB limit.
   */
  readonly indexRoutes: readonly IndexRoute[];
  /**
   * Key attribute names (partition key, then sort key) used to build document ids; passed comma-separated
   * in `KEY_ATTRIBUTES` (so no name may contain ','). Must equal the table's key schema when the construct can read it.
   * @default - the key schema of `table` / `tableProps` (required for imported tables)
   */
  readonly keyAttributes?: readonly string[];
  /**
   * Name of an application version attribute (non-negative integer incremented on every write); orders
   * changes exactly instead of by time. Passed as `VERSION_ATTRIBUTE`.
   * @default - none: changes are ordered by stream time and sequence number
   */
  readonly versionAttribute?: string;
  /**
   * Sync mode. `direct`: the indexer reads the stream and writes OpenSearch. `buffered`: the stream
   * reader publishes to an SNS FIFO topic → SQS FIFO queue, consumed by the OpenSearch writer
   * (`indexerFunction`/`indexerRole` are then the writer's); see docs/architecture.md "Buffered mode".
   * @default 'direct'
   */
  readonly mode?: SyncMode;
  /**
   * Buffered mode: directory of the stream-reader bundle (must contain `index.js`). Resolved like `indexerCodePath`.
   * @default 'dist/apps/stream-reader' (output of `nx run stream-reader:bundle`)
   */
  readonly streamReaderCodePath?: string;
  /**
   * Buffered mode: directory of the OpenSearch-writer bundle, used instead of `indexerCodePath`.
   * @default 'dist/apps/opensearch-writer' (output of `nx run opensearch-writer:bundle`)
   */
  readonly writerCodePath?: string;
  /**
   * Buffered mode: messages per writer invocation (SQS FIFO event source). Valid range 1–10.
   * @default 10
   */
  readonly bufferBatchSize?: number;
  /**
   * Buffered mode: receives of a buffered message before it moves to the buffer dead-letter queue.
   * Valid range 1–1,000.
   * @default 5
   */
  readonly bufferMaxReceiveCount?: number;
  /**
   * Buffered mode: age of the oldest buffered message above which the buffer lag alarm fires after
   * 5 consecutive minutes. Valid range 1 min – 14 days.
   * @default Duration.minutes(5)
   */
  readonly bufferAgeAlarmThreshold?: Duration;

  /**
   * Where batches that exhaust their retries or age out go (see {@link OnFailureDestination}). `'s3'` keeps the
   * failure handler off the stream: the one-reader configuration a global table needs.
   * @default 'sqs'
   */
  readonly onFailureDestination?: OnFailureDestination;
  /**
   * Whether the table has replicas (a global table), where DynamoDB Streams serves one reader per shard instead of
   * two. Detected for a table created or defined in this app (`replicationRegions`, `TableV2` replicas); declare it
   * for an imported table. A configuration with more stream readers than allowed is refused at synth.
   * @default - detected; false for an imported table
   */
  readonly globalTable?: boolean;
  /**
   * Readers of this table's stream outside the construct (other Lambdas, Kinesis adapters …), counted against
   * the per-shard reader limit. Valid range 0–2.
   * @default 0
   */
  readonly otherStreamReaders?: number;
  /**
   * Where the event source mapping starts reading a new stream: `TRIM_HORIZON` (every retained record) or `LATEST`.
   * `AT_TIMESTAMP` is not supported for DynamoDB streams.
   * @default lambda.StartingPosition.TRIM_HORIZON — nothing retained is skipped (backfill covers older items)
   */
  readonly startingPosition?: lambda.StartingPosition;
  /**
   * Event filtering of the stream event source mapping (`lambda.FilterCriteria.filter({...})`). Records filtered
   * out are neither indexed nor sent anywhere: only filter what the indexes must never hold.
   * @default - every record
   */
  readonly filters?: ReadonlyArray<Record<string, unknown>>;
  /**
   * Whether the stream event source mapping is enabled (disabled: the stream is not read, records age out after 24 h).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Records per indexer invocation (event source mapping `BatchSize`). Valid range 1–10,000.
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long the event source mapping gathers records before invoking. Whole seconds, 0–300 s.
   * Low values keep the index near real time; the batch is sent as soon as it is full anyway.
   * @default Duration.seconds(1)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Concurrent batches per shard (per-item order is kept). Valid range 1–10.
   * @default 1
   */
  readonly parallelizationFactor?: number;
  /**
   * Retries of a failing batch before it goes to the on-failure queue. Valid range 0–10,000.
   * @default 10
   */
  readonly retryAttempts?: number;
  /**
   * Records older than this are sent to the on-failure queue instead of the indexer. Valid range
   * 60 s – 7 days (Lambda's bounds). With `onFailureDestination: 'sqs'` the failure handler re-reads failed
   * ranges from the stream, which keeps records 24 h: the default leaves it 18 h to do so (a synth warning is
   * raised above 23 h). With `'s3'` the failed batch itself is stored, so no such limit applies.
   * @default Duration.hours(6)
   */
  readonly maxRecordAge?: Duration;
  /**
   * Split a failing batch in two and retry each half.
   * @default true
   */
  readonly bisectBatchOnError?: boolean;

  /**
   * Indexer memory in MB. Valid range 128–10,240.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Indexer timeout. Valid range 1 s – 15 min.
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency of the indexer. Valid range 1–1,000 (Lambda account default limit).
   * @default - none (unreserved)
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Failure handler memory in MB. Valid range 128–10,240.
   * @default 512
   */
  readonly failureHandlerMemorySize?: number;
  /**
   * Failure handler timeout. Valid range 1 s – 15 min. Its queues' visibility timeout is six times this.
   * @default Duration.minutes(2)
   */
  readonly failureHandlerTimeout?: Duration;
  /**
   * Lambda runtime of every function: Node.js, from the bundles' build target (node22) on, e.g.
   * `lambda.Runtime.NODEJS_24_X`.
   * @default lambda.Runtime.NODEJS_22_X — the newest runtime the prebuilt bundles are built for
   */
  readonly runtime?: lambda.Runtime;
  /**
   * X-Ray tracing of both functions.
   * @default lambda.Tracing.DISABLED
   */
  readonly tracing?: lambda.Tracing;
  /**
   * Retention of both functions' log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Log level of both functions (`POWERTOOLS_LOG_LEVEL`).
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

  /**
   * Directory of the indexer bundle (must contain `index.js`; handler `index.handler`). A relative path is
   * resolved from the workspace root (the nearest directory above the working directory holding `nx.json`).
   * @default 'dist/apps/indexer' (output of `nx run indexer:bundle`)
   */
  readonly indexerCodePath?: string;
  /**
   * Directory of the failure-handler bundle (must contain `index.js`). Resolved like `indexerCodePath`.
   * @default 'dist/apps/failure-handler' (output of `nx run failure-handler:bundle`)
   */
  readonly failureHandlerCodePath?: string;

  /**
   * Lifecycle of the archive bucket.
   * @default - Standard-IA after 30 days, Glacier after 90 days, deleted after 365 days
   */
  readonly archiveLifecycle?: ArchiveLifecycle;

  /**
   * Topic notified when an alarm fires or recovers.
   * @default - no alarm actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Indexer IteratorAge (how far behind the stream the index is) above which the lag alarm fires after
   * 5 consecutive minutes. Valid range 1 s – 24 h.
   * @default Duration.minutes(1)
   */
  readonly iteratorAgeAlarmThreshold?: Duration;
  /**
   * Minimum free storage of a data node at or below which the domain storage alarm fires.
   * @default - 25% of the created domain's per-node EBS volume; 20 GiB (AWS's recommendation) for an existing domain
   */
  readonly domainFreeStorageAlarmThreshold?: Size;
  /**
   * Age of the oldest message in a failure queue above which its age alarm fires. Valid range 1 min – 14 days.
   * @default Duration.hours(1)
   */
  readonly queueAgeAlarmThreshold?: Duration;
  /**
   * Name of this sync in metrics (`service` dimension of the custom metrics in namespace
   * `DynamoDbOpenSearchSync`, passed as `POWERTOOLS_SERVICE_NAME`) and in the dashboard name.
   * Letters, digits, `-` and `_`, 1–64 characters.
   * @default - derived from the construct path, unique in the app
   */
  readonly syncName?: string;
}

/** The alarms the construct creates, by meaning (see docs/infra.md). */
export interface SyncAlarms {
  readonly indexerIteratorAge: cloudwatch.Alarm;
  readonly indexerErrors: cloudwatch.Alarm;
  readonly indexerThrottles: cloudwatch.Alarm;
  readonly failureHandlerErrors: cloudwatch.Alarm;
  readonly failureHandlerThrottles: cloudwatch.Alarm;
  readonly onFailureQueueDepth: cloudwatch.Alarm;
  readonly onFailureQueueAge: cloudwatch.Alarm;
  readonly deadLetterQueueDepth: cloudwatch.Alarm;
  readonly deadLetterQueueAge: cloudwatch.Alarm;
  readonly unprocessableQueueDepth: cloudwatch.Alarm;
  readonly lostRanges: cloudwatch.Alarm;
}

/** The alarms on the OpenSearch domain (AWS's recommended cluster alarms). */
export interface DomainAlarms {
  readonly clusterStatusRed: cloudwatch.Alarm;
  readonly clusterStatusYellow: cloudwatch.Alarm;
  readonly freeStorageSpace: cloudwatch.Alarm;
  readonly indexWritesBlocked: cloudwatch.Alarm;
  readonly jvmMemoryPressure: cloudwatch.Alarm;
}

/** The extra alarms of buffered mode. */
export interface BufferedModeAlarms {
  readonly streamReaderErrors: cloudwatch.Alarm;
  readonly streamReaderThrottles: cloudwatch.Alarm;
  /** Index lag in buffered mode: the oldest message waiting in the buffer queue. */
  readonly bufferQueueAge: cloudwatch.Alarm;
  readonly bufferDeadLetterQueueDepth: cloudwatch.Alarm;
}
