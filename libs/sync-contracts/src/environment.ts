/**
 * Names of the environment variables the CDK construct sets and the Lambdas read: one definition for both sides.
 *
 * @example
 * process.env[SYNC_ENV.syncName]; // SYNC_NAME
 */
export const SYNC_ENV = {
  /** Which sync of the compiled-in definition (`syncs/sync.config.ts`) the function serves. Every function. */
  syncName: 'SYNC_NAME',
  /** The fingerprint of that sync as synthesized; a cold start refuses a bundle whose definition differs. Every function. */
  syncFingerprint: 'SYNC_FINGERPRINT',
  /** OpenSearch endpoint URL (`https://…`). Indexer / writer. */
  openSearchNode: 'OPENSEARCH_NODE',
  /** `none`, `basic` or `sigv4`. Indexer / writer. */
  openSearchAuth: 'OPENSEARCH_AUTH',
  /** URL of the SQS queue for poison records. Indexer, writer, stream reader. */
  deadLetterQueueUrl: 'DLQ_URL',
  /** ARN of the SNS FIFO buffer topic. Stream reader (buffered mode). */
  bufferTopicArn: 'BUFFER_TOPIC_ARN',
  /** S3 bucket of the failure archive. Failure handler. */
  archiveBucket: 'ARCHIVE_BUCKET',
  /** The synced table. Every function. */
  tableName: 'TABLE_NAME',
  /** Powertools service name: the `service` dimension of the custom metrics. Every function. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools metrics namespace ({@link METRICS_NAMESPACE}). Every function. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Powertools log level. Every function. */
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

export type SyncEnvName = (typeof SYNC_ENV)[keyof typeof SYNC_ENV];
