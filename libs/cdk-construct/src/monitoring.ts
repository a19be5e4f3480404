import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE, METRICS_SERVICE_DIMENSION } from './constants';
import type { FailureQueues } from './failure-storage';
import type { BufferResources } from './buffered-mode';
import type { BufferedModeAlarms, DomainAlarms, SyncAlarms } from './types';

/** What the alarms and the dashboard watch. */
export interface MonitoringTargets {
  readonly indexer: lambda.Function;
  /** The function the stream feeds, whose IteratorAge is the lag alarm (buffered mode: the stream reader). Default `indexer`. */
  readonly streamConsumer?: lambda.Function;
  readonly failureHandler: lambda.Function;
  readonly queues: FailureQueues;
  /** Value of the `service` dimension of the custom metrics. */
  readonly serviceName: string;
  readonly alarmTopic: sns.ITopic | undefined;
  readonly iteratorAgeThreshold: Duration;
  readonly queueAgeThreshold: Duration;
}

const FIVE_MINUTES = Duration.minutes(5);

/** A custom metric of this sync (namespace `DynamoDbOpenSearchSync`, dimension `service`). */
export function syncMetric(metricName: string, serviceName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [METRICS_SERVICE_DIMENSION]: serviceName },
    statistic: cloudwatch.Stats.SUM,
    period: FIVE_MINUTES,
  });
}

/** The indexer's lag behind the stream: age of the last record it processed (ms). */
export function iteratorAgeMetric(indexer: lambda.IFunction): cloudwatch.Metric {
  return indexer.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) });
}

/** One alarm: what it watches, when it fires and what it means for the operator. */
export interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparison?: cloudwatch.ComparisonOperator;
  readonly description: string;
}

export type AlarmFactory = (id: string, spec: AlarmSpec) => cloudwatch.Alarm;

/**
 * Makes the alarms of one scope: missing data (nothing happening, or no metrics yet) is not a breach, and the topic,
 * when there is one, hears both the alarm and its return to OK.
 *
 * @example
 * const alarm = alarmFactory(this, alarmTopic);
 * alarm('LostRangesAlarm', { metric, threshold: 1, description: 'Changes were lost.' });
 */
export function alarmFactory(scope: Construct, alarmTopic: sns.ITopic | undefined): AlarmFactory {
  return (id, spec) => {
    const created = new cloudwatch.Alarm(scope, id, {
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      comparisonOperator: spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    });
    if (alarmTopic) {
      created.addAlarmAction(new actions.SnsAction(alarmTopic));
      created.addOkAction(new actions.SnsAction(alarmTopic));
    }
    return created;
  };
}

/** Every alarm fires at or above its threshold; missing data (nothing happening) is not a breach. */
export function createAlarms(scope: Construct, targets: MonitoringTargets): SyncAlarms {
  const alarm = alarmFactory(scope, targets.alarmTopic);
  return {
    ...functionAlarms(alarm, targets),
    ...queueAlarms(alarm, targets),
    lostRanges: alarm('LostRangesAlarm', {
      metric: syncMetric(METRIC_NAMES.lostRanges, targets.serviceName),
      threshold: 1,
      description:
        'The failure handler met a failed stream range already trimmed from the stream: those changes are not in the archive. Run a repair/backfill for the table.',
    }),
  };
}

function functionAlarms(alarm: AlarmFactory, { indexer, streamConsumer, failureHandler, iteratorAgeThreshold }: MonitoringTargets) {
  const perFiveMinutes = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
  return {
    indexerIteratorAge: alarm('IndexerIteratorAgeAlarm', {
      metric: iteratorAgeMetric(streamConsumer ?? indexer),
      threshold: iteratorAgeThreshold.toMilliseconds(),
      evaluationPeriods: 5,
      description: `The index lags the table by ${iteratorAgeThreshold.toHumanString()} or more for 5 minutes (IteratorAge): the indexer is failing, throttled or too slow.`,
    }),
    indexerErrors: alarm('IndexerErrorsAlarm', {
      metric: indexer.metricErrors(perFiveMinutes),
      threshold: 1,
      description: 'The indexer failed whole invocations (crash or timeout); its batches are being retried.',
    }),
    indexerThrottles: alarm('IndexerThrottlesAlarm', {
      metric: indexer.metricThrottles(perFiveMinutes),
      threshold: 1,
      description: 'The indexer was throttled: raise its (reserved) concurrency or the account limit.',
    }),
    failureHandlerErrors: alarm('FailureHandlerErrorsAlarm', {
      metric: failureHandler.metricErrors(perFiveMinutes),
      threshold: 1,
      description: 'The failure handler failed invocations: failed records are waiting in their queues.',
    }),
    failureHandlerThrottles: alarm('FailureHandlerThrottlesAlarm', {
      metric: failureHandler.metricThrottles(perFiveMinutes),
      threshold: 1,
      description: 'The failure handler was throttled.',
    }),
  };
}

function queueAlarms(alarm: AlarmFactory, { queues, queueAgeThreshold }: MonitoringTargets) {
  const depth = (queue: sqs.IQueue) =>
    queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM });
  const age = (queue: sqs.IQueue) =>
    queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM });
  const ageThresholdSeconds = queueAgeThreshold.toSeconds();
  return {
    onFailureQueueDepth: alarm('OnFailureQueueDepthAlarm', {
      metric: depth(queues.onFailureQueue),
      threshold: 1,
      evaluationPeriods: 3,
      description:
        'Stream ranges that exhausted retries stay unarchived for 15 minutes: the failure handler is not draining the on-failure queue.',
    }),
    onFailureQueueAge: alarm('OnFailureQueueAgeAlarm', {
      metric: age(queues.onFailureQueue),
      threshold: ageThresholdSeconds,
      description: 'A failed stream range has waited too long; it will be lost once the stream trims it (24 h).',
    }),
    deadLetterQueueDepth: alarm('DeadLetterQueueDepthAlarm', {
      metric: depth(queues.deadLetterQueue),
      threshold: 1,
      evaluationPeriods: 3,
      description: 'Poison records stay unarchived for 15 minutes: the failure handler is not draining the dead-letter queue.',
    }),
    deadLetterQueueAge: alarm('DeadLetterQueueAgeAlarm', {
      metric: age(queues.deadLetterQueue),
      threshold: ageThresholdSeconds,
      description: 'A poison record has waited too long in the dead-letter queue.',
    }),
    unprocessableQueueDepth: alarm('UnprocessableQueueDepthAlarm', {
      metric: depth(queues.unprocessableQueue),
      threshold: 1,
      description: 'The failure handler gave up on a message: inspect the unprocessable queue and redrive it once fixed.',
    }),
  };
}

/** What the dashboard shows beyond the sync's own functions and queues. */
export interface DashboardContent {
  readonly alarms: SyncAlarms;
  readonly domain: { readonly domain: opensearch.IDomain; readonly alarms: DomainAlarms };
  /** Buffered mode: the stream reader and the buffer. */
  readonly buffered?: { readonly streamReader: lambda.Function; readonly buffer: BufferResources; readonly alarms: BufferedModeAlarms };
}

/**
 * The sync's widgets: lag, throughput, failures, the domain's health and, in buffered mode, the reader and the
 * buffer; on a dashboard of its own (`<serviceName>-sync`), or added under its title to a `shared` one.
 */
export function createDashboard(
  scope: Construct,
  targets: MonitoringTargets,
  content: DashboardContent,
  shared?: cloudwatch.Dashboard,
): cloudwatch.Dashboard {
  const { indexer, failureHandler, queues, serviceName } = targets;
  const sum = { statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES };
  const maximum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM };
  const dashboard = shared ?? new cloudwatch.Dashboard(scope, 'Dashboard', { dashboardName: `${serviceName}-sync` });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({ markdown: `# ${serviceName}: DynamoDB → OpenSearch`, width: 24, height: 1 }),
    new cloudwatch.AlarmWidget({ title: 'Lag (IteratorAge, ms)', alarm: content.alarms.indexerIteratorAge, width: 12 }),
    new cloudwatch.GraphWidget({
      title: 'Throughput',
      left: [indexer.metricInvocations(sum)],
      right: [syncMetric(METRIC_NAMES.documentsIndexed, serviceName)],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Function failures',
      left: [
        indexer.metricErrors(sum),
        indexer.metricThrottles(sum),
        failureHandler.metricErrors(sum),
        failureHandler.metricThrottles(sum),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Failure queues (visible messages)',
      left: [queues.onFailureQueue, queues.deadLetterQueue, queues.unprocessableQueue].map((queue) =>
        queue.metricApproximateNumberOfMessagesVisible(maximum),
      ),
      right: [syncMetric(METRIC_NAMES.lostRanges, serviceName)],
      width: 12,
    }),
    ...domainWidgets(content.domain.domain),
    ...(content.buffered ? bufferedWidgets(content.buffered.streamReader, content.buffered.buffer) : []),
    new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      alarms: [...Object.values(content.alarms), ...Object.values(content.domain.alarms), ...Object.values(content.buffered?.alarms ?? {})],
      width: 24,
    }),
  );
  return dashboard;
}

function domainWidgets(domain: opensearch.IDomain): cloudwatch.IWidget[] {
  const oneMinute = (statistic: string) => ({ period: Duration.minutes(1), statistic });
  return [
    new cloudwatch.GraphWidget({
      title: 'OpenSearch cluster health',
      left: [
        domain.metricClusterStatusRed(oneMinute(cloudwatch.Stats.MAXIMUM)),
        domain.metricClusterStatusYellow(oneMinute(cloudwatch.Stats.MAXIMUM)),
        domain.metricClusterIndexWritesBlocked(oneMinute(cloudwatch.Stats.MAXIMUM)),
      ],
      right: [domain.metricJVMMemoryPressure(oneMinute(cloudwatch.Stats.MAXIMUM))],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'OpenSearch free storage (MiB, least node)',
      left: [domain.metricFreeStorageSpace(oneMinute(cloudwatch.Stats.MINIMUM))],
      width: 12,
    }),
  ];
}

function bufferedWidgets(streamReader: lambda.Function, buffer: BufferResources): cloudwatch.IWidget[] {
  const sum = { statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES };
  const maximum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM };
  return [
    new cloudwatch.GraphWidget({
      title: 'Stream reader',
      left: [streamReader.metricInvocations(sum), streamReader.metricErrors(sum), streamReader.metricThrottles(sum)],
      right: [iteratorAgeMetric(streamReader)],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Buffer (SQS FIFO)',
      left: [
        buffer.queue.metricApproximateNumberOfMessagesVisible(maximum),
        buffer.deadLetterQueue.metricApproximateNumberOfMessagesVisible(maximum),
      ],
      right: [buffer.queue.metricApproximateAgeOfOldestMessage(maximum)],
      width: 12,
    }),
  ];
}
