import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FAILURE_QUEUE_MAX_RECEIVE_COUNT, QUEUE_RETENTION, VISIBILITY_TIMEOUT_FACTOR } from './constants';
import type { ArchiveLifecycle } from './types';

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

/** The archive of failed records and the bucket receiving its server access logs. */
export interface ArchiveBuckets {
  readonly archiveBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
}

const secureBucketProps: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.RETAIN,
};

/** Buckets are retained on stack deletion: they hold the only copy of records that failed to index. */
export function createArchiveBuckets(scope: Construct, lifecycle: Required<ArchiveLifecycle>): ArchiveBuckets {
  const accessLogsBucket = new s3.Bucket(scope, 'AccessLogsBucket', {
    ...secureBucketProps,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: lifecycle.expireAfter }],
  });
  const archiveBucket = new s3.Bucket(scope, 'ArchiveBucket', {
    ...secureBucketProps,
    versioned: true,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: 'archive-bucket/',
    lifecycleRules: [
      {
        id: 'tier-and-expire-archive',
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: lifecycle.infrequentAccessAfter },
          { storageClass: s3.StorageClass.GLACIER, transitionAfter: lifecycle.glacierAfter },
        ],
        expiration: lifecycle.expireAfter,
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ],
  });
  return { archiveBucket, accessLogsBucket };
}
