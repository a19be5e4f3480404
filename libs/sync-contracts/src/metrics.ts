/** CloudWatch namespace of the custom metrics every function emits (Powertools `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'DynamoDbOpenSearchSync';

/** The single dimension of the custom metrics; its value is the sync name (`POWERTOOLS_SERVICE_NAME`). */
export const METRICS_SERVICE_DIMENSION = 'service';

/**
 * Custom metric names that alarms and dashboards depend on: one definition for the emitting Lambdas and the
 * construct that watches them.
 *
 * @example
 * new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: METRIC_NAMES.lostRanges, dimensionsMap: { service: 'orders' } });
 */
export const METRIC_NAMES = {
  /** Indexer / writer: documents written (applied) to OpenSearch. */
  documentsIndexed: 'DocumentsIndexed',
  /** Failure handler: failed stream ranges it could no longer read (trimmed from the stream). */
  lostRanges: 'LostRanges',
} as const;
