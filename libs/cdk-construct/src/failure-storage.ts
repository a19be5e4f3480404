import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DEFAULT_ARCHIVE_PREFIX, DEFAULT_REPLAYED_PREFIX } from '@ddb-os/failure-archive';
import { Construct } from 'constructs';
import { FAILURE_QUEUE_MAX_RECEIVE_COUNT, QUEUE_RETENTION, VISIBILITY_TIMEOUT_FACTOR } from './constants';
import type { ResolvedArchiveLifecycle } from './types';

/** The queues records take when they leave the happy path. */
export interface FailureQueues {
  /** Event source mapping on-failure destination: metadata of batches that exhausted retries or aged out. */
  readonly onFailureQueue: sqs.Queue;
  /** Poison records the indexer itself rejects (`DLQ_URL`), with the full record. */
  readonly deadLetterQueue: sqs.Queue;
  /** Messages the failure handler could not process after several receives: an operator must look. */
  readonly unprocessableQueue: sqs.Queue;
}

/**
 * Failure queues hold the only trace of records that did not reach OpenSearch: they survive stack deletion. Every
 * queue keeps messages the SQS maximum, so a redrive target (which keeps a message's original enqueue time)
 * never keeps it shorter than its source did.
 */
export const failureQueueProps: sqs.QueueProps = {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  retentionPeriod: QUEUE_RETENTION,
  removalPolicy: RemovalPolicy.RETAIN,
};

/** Both failure queues are consumed by the failure handler and redrive to one unprocessable queue. */
export function createFailureQueues(scope: Construct, failureHandlerTimeout: Duration): FailureQueues {
  const unprocessableQueue = new sqs.Queue(scope, 'UnprocessableQueue', failureQueueProps);
  const consumedQueueProps: sqs.QueueProps = {
    ...failureQueueProps,
    visibilityTimeout: Duration.seconds(failureHandlerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
    deadLetterQueue: { queue: unprocessableQueue, maxReceiveCount: FAILURE_QUEUE_MAX_RECEIVE_COUNT },
  };
  return {
    onFailureQueue: new sqs.Queue(scope, 'OnFailureQueue', consumedQueueProps),
    deadLetterQueue: new sqs.Queue(scope, 'DeadLetterQueue', consumedQueueProps),
    unprocessableQueue,
  };
}

const secureBucketProps: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.RETAIN,
};

/** How long access logs are kept. */
const ACCESS_LOG_RETENTION = Duration.days(365);

/**
 * The archive of failed records (versioned) and the bucket receiving its server access logs, for one sync or shared
 * by several. Each sync writes only under its table's prefix (`failures/<table>/`, the failure handler's key layout)
 * and brings its own lifecycle rule there, so one sync's settings never apply to another's objects. Both buckets
 * are retained on stack deletion: they hold the only copy of records that failed to index.
 *
 * @example
 * const archive = new SyncArchive(stack, 'Archive');
 * new DynamoDbToOpenSearch(stack, 'orders', { sync: syncs.named('orders'), archive });
 */
export class SyncArchive extends Construct {
  public readonly archiveBucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...secureBucketProps,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_RETENTION }],
    });
    this.archiveBucket = new s3.Bucket(this, 'ArchiveBucket', {
      ...secureBucketProps,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'archive-bucket/',
      lifecycleRules: [
        {
          id: 'clean-up-versions-and-uploads',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }

  /** The key prefixes of one table's archive: failed records, and the ones replay has moved aside. */
  public prefixesOf(tableName: string): readonly string[] {
    return [DEFAULT_ARCHIVE_PREFIX, DEFAULT_REPLAYED_PREFIX].map((prefix) => `${prefix}${tableName}/`);
  }

  /** The ARN of the failed-record objects of one table (what its failure handler reads and writes). */
  public objectsArnOf(tableName: string): string {
    return this.archiveBucket.arnForObjects(`${DEFAULT_ARCHIVE_PREFIX}${tableName}/*`);
  }

  /** Tiers and expires one sync's objects (rule ids are the sync's name: unique in a definition). */
  public addSyncLifecycle(syncName: string, tableName: string, lifecycle: ResolvedArchiveLifecycle): void {
    this.prefixesOf(tableName).forEach((prefix, position) =>
      this.archiveBucket.addLifecycleRule({
        id: `${syncName}-${position === 0 ? 'failures' : 'replayed'}`,
        prefix,
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: lifecycle.infrequentAccessAfter },
          { storageClass: s3.StorageClass.GLACIER, transitionAfter: lifecycle.glacierAfter },
        ],
        expiration: lifecycle.expireAfter,
      }),
    );
  }
}
