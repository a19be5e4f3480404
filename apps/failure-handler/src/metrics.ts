import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { HandlerMetrics } from './types';

/**
 * Metrics published as CloudWatch EMF log lines by Powertools.
 *
 * @example
 * const metrics = powertoolsMetrics('DynamoDbOpenSearchSync', 'orders-sync');
 * metrics.count('ArchivedRecords', 3);
 * metrics.publish();
 */
export function powertoolsMetrics(namespace: string, serviceName: string): HandlerMetrics {
  const metrics = new Metrics({ namespace, serviceName });
  return {
    count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
    milliseconds: (name, value) => metrics.addMetric(name, MetricUnit.Milliseconds, value),
    publish: () => metrics.publishStoredMetrics(),
  };
}
