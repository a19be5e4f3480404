import type { FailureDestination, ResolvedSync, SyncMode } from '@ddb-os/sync-definition';
import type { Duration, Size } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { SyncArchive } from './failure-storage';

/**
 * How changes reach OpenSearch (the definition's `mode`). `direct`: the indexer writes each stream batch with one
 * `_bulk`. `buffered`: a stream reader publishes each record to an SNS FIFO topic (one message group per document),
 * an SQS FIFO queue buffers them, and the OpenSearch writer indexes the queue's batches.
 */
export type { SyncMode };

/**
 * Where the stream event source mapping sends a batch it gives up on (the definition's `failures.destination`).
 * `sqs`: metadata only (shard and sequence range) to the on-failure queue; the failure handler re-reads the range
 * from the stream (a second stream reader). `s3`: Lambda writes the whole failed batch to a dedicated bucket, which
 * notifies the on-failure queue; the failure handler reads the object, so nothing but the event source mapping reads
 * the stream.
 */
export type OnFailureDestination = FailureDestination;

/** Properties of the table the definition creates, beyond its keys (see `DynamoDbToOpenSearchProps.tableProps`). */
export type SyncTableProps = Partial<dynamodb.TableProps>;

/**
 * Storage tiers of the archive objects that keep this sync's failed records for replay. Their expiry is the
 * definition's `failures.archiveExpiryDays` (default 365 days): archived records not replayed by then are gone.
 */
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
}

/** The archive lifecycle with its defaults; objects expire after the definition's `failures.archiveExpiryDays`. */
export interface ResolvedArchiveLifecycle extends Required<ArchiveLifecycle> {
  readonly expireAfter: Duration;
}

/**
 * Properties of the OpenSearch domain the definition creates. Every key is optional: a given key replaces the
 * construct's default for that key as a whole, except the definition's own fields (`instanceType`, `dataNodes`,
 * `volumeGiB`, `removal`), which always win. Encryption at rest, node-to-node encryption and HTTPS cannot be turned
 * off, and the access policy is written by the construct (scoped to the writers' role), so `accessPolicies` is rejected.
 */
export type SyncDomainProps = Partial<opensearch.DomainProps>;

/** Properties of {@link DynamoDbToOpenSearch}. */
export interface DynamoDbToOpenSearchProps {
  /**
   * The sync to deploy, from the workspace's definition (`syncs.named('orders')` of `defineSyncs`). The construct
   * validates its definition again with `defineSyncs` (the validator the Lambdas run at cold start, with its
   * messages) and takes from it: the table (`table.create` → a table with the declared keys; `table.existing` →
   * imported by name or ARN with its `streamArn`), the domain (`domain.create` or `domain.existing`; `serverless` is
   * refused by the validator), the mode, the failure settings and the stream settings. The functions get
   * `SYNC_NAME` and `SYNC_FINGERPRINT`: their bundle must hold the same definition (checked at cold start).
   */
  readonly sync: ResolvedSync;
  /**
   * Extra properties of the table the definition creates (`table.create`), e.g. `billingMode`, `replicationRegions`.
   * Key names come from the definition (a `partitionKey`/`sortKey` given here must carry the same name; its type
   * defaults to STRING); the stream is forced to NEW_AND_OLD_IMAGES, point-in-time recovery on, encryption defaults to
   * AWS-managed KMS, and the removal policy is the definition's `table.create.removal`.
   * @default - the definition's keys (STRING), on-demand billing
   */
  readonly tableProps?: SyncTableProps;
  /**
   * Extra properties of the domain the definition creates (`domain.create`), replacing the construct's defaults key
   * by key; the definition's `instanceType`, `dataNodes`, `volumeGiB` and `removal` always win. Encryption at rest,
   * node-to-node encryption and HTTPS cannot be turned off, and the access policy is written by the construct.
   * @default - OpenSearch 2.19, the definition's data nodes (no dedicated masters), encrypted, HTTPS with TLS 1.2, logs
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
   * `DynamoDbOpenSearchSync`, passed as `POWERTOOLS_SERVICE_NAME`) and in its dashboard's name. Letters, digits,
   * `-` and `_`, 1–64 characters; unique per account and region (e.g. `<stage>-<sync name>`).
   * @default - the sync's name
   */
  readonly serviceName?: string;
  /**
   * A failure archive shared with other syncs (one bucket, one access-log bucket): this sync writes only under its
   * table's prefix (`failures/<table>/`), with its own lifecycle rule there.
   * @default - the construct creates its own archive
   */
  readonly archive?: SyncArchive;
  /**
   * A dashboard shared with other syncs: this sync adds its widgets (under a title naming it) instead of creating one.
   * @default - a dashboard of its own, `<serviceName>-sync`
   */
  readonly dashboard?: cloudwatch.Dashboard;
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
