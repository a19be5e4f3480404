/** CloudWatch namespace of the custom metrics every function emits (Powertools `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'DynamoDbOpenSearchSync';

/** The single dimension of the custom metrics; its value is the sync name (`POWERTOOLS_SERVICE_NAME`). */
export const METRICS_SERVICE_DIMENSION = 'service';

/** Custom metrics of the indexer and the buffered writer (one batch's counters, `libs/indexing-core/src/metrics.ts`). */
export const INDEXER_METRICS = {
  documentsIndexed: 'DocumentsIndexed',
  staleSkipped: 'StaleWritesSkipped',
  deadLettered: 'RecordsDeadLettered',
  retryableFailures: 'RetryableFailures',
  recordsReceived: 'RecordsReceived',
  lag: 'IndexingLag',
} as const;

/** Custom metrics of the failure handler. */
export const FAILURE_HANDLER_METRICS = {
  archivedRecords: 'ArchivedRecords',
  archivedObjects: 'ArchivedObjects',
  duplicateMessages: 'DuplicateMessages',
  lostRanges: 'LostRanges',
  unparseableMessages: 'UnparseableMessages',
  archiveFailures: 'ArchiveFailures',
  oldestMessageAge: 'OldestMessageAge',
} as const;

/**
 * Custom metric names that alarms and dashboards depend on: one definition for the emitting Lambdas and the
 * construct that watches them.
 *
 * @example
 * new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: METRIC_NAMES.lostRanges, dimensionsMap: { service: 'orders' } });
 */
export const METRIC_NAMES = {
  /** Indexer / writer: documents written (applied) to OpenSearch. */
  documentsIndexed: INDEXER_METRICS.documentsIndexed,
  /** Failure handler: failed stream ranges it could no longer read (trimmed from the stream). */
  lostRanges: FAILURE_HANDLER_METRICS.lostRanges,
} as const;
