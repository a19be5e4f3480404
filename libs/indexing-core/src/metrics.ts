import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { INDEXER_METRICS } from '@ddb-os/sync-contracts';
import type { BatchStats } from './index-records';

// The names are the construct's too: one definition in @ddb-os/sync-contracts.
export { INDEXER_METRICS };

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
