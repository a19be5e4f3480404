import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BatchStats } from './index-records';

/** Custom metric names; the CDK construct's alarms and dashboard use the same names. */
export const INDEXER_METRICS = {
  documentsIndexed: 'DocumentsIndexed',
  staleSkipped: 'StaleWritesSkipped',
  deadLettered: 'RecordsDeadLettered',
  retryableFailures: 'RetryableFailures',
  recordsReceived: 'RecordsReceived',
  lag: 'IndexingLag',
} as const;

/**
 * Publishes a batch's counters as CloudWatch EMF lines through Powertools.
 *
 * @example
 * const record = batchMetricsRecorder(new Metrics({ namespace: 'DynamoDbOpenSearchSync', serviceName: 'orders-sync' }));
 */
export function batchMetricsRecorder(metrics: Metrics): (stats: Readonly<BatchStats>) => void {
  return (stats) => {
    metrics.addMetric(INDEXER_METRICS.recordsReceived, MetricUnit.Count, stats.records);
    metrics.addMetric(INDEXER_METRICS.documentsIndexed, MetricUnit.Count, stats.applied);
    metrics.addMetric(INDEXER_METRICS.staleSkipped, MetricUnit.Count, stats.stale);
    metrics.addMetric(INDEXER_METRICS.deadLettered, MetricUnit.Count, stats.deadLettered);
    metrics.addMetric(INDEXER_METRICS.retryableFailures, MetricUnit.Count, stats.retryableFailures);
    if (stats.maxLagMs !== undefined) metrics.addMetric(INDEXER_METRICS.lag, MetricUnit.Milliseconds, stats.maxLagMs);
    metrics.publishStoredMetrics();
  };
}
