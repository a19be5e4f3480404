import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { synthesizeDefaultSync, synthesizeSync } from './helpers/factories';

function alarmOn(template: Template, metric: Record<string, unknown>): void {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { ComparisonOperator: 'GreaterThanOrEqualToThreshold', ...metric });
}

const functionDimension = (prefix: string) => [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp(`^${prefix}`) } }];
const queueDimension = (prefix: string) => [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), 'QueueName'] } }];

describe('alarms', () => {
  it('watch the indexer lag (IteratorAge) against the threshold for 5 minutes', () => {
    // given / when
    const { template } = synthesizeSync({ iteratorAgeAlarmThreshold: Duration.seconds(30) });

    // then
    alarmOn(template, {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: functionDimension('SyncIndexerFunction'),
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 5,
      Threshold: 30_000,
    });
  });

  it.each([
    ['SyncIndexerFunction', 'Errors'],
    ['SyncIndexerFunction', 'Throttles'],
    ['SyncFailureHandlerFunction', 'Errors'],
    ['SyncFailureHandlerFunction', 'Throttles'],
  ])('watch %s %s', (functionPrefix, metricName) => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    alarmOn(template, { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: functionDimension(functionPrefix), Statistic: 'Sum', Threshold: 1 });
  });

  it.each(['SyncOnFailureQueue', 'SyncDeadLetterQueue'])('watch the depth and message age of %s', (queuePrefix) => {
    // given / when
    const { template } = synthesizeSync({ queueAgeAlarmThreshold: Duration.minutes(30) });

    // then
    alarmOn(template, {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: queueDimension(queuePrefix),
      Threshold: 1,
      EvaluationPeriods: 3,
    });
    alarmOn(template, { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: queueDimension(queuePrefix), Threshold: 1800 });
  });

  it('fire on any message given up by the failure handler', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    alarmOn(template, {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: queueDimension('SyncUnprocessableQueue'),
      Threshold: 1,
      EvaluationPeriods: 1,
    });
  });

  it('fire on any lost range reported by the failure handler', () => {
    // given / when
    const { template, sync } = synthesizeSync({ syncName: 'products' });

    // then
    expect(sync.syncName).toBe('products');
    alarmOn(template, {
      Namespace: 'DynamoDbOpenSearchSync',
      MetricName: 'LostRanges',
      Dimensions: [{ Name: 'service', Value: 'products' }],
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('notify the topic on alarm and recovery when one is given', () => {
    // given / when
    const { template } = synthesizeSync((stack) => ({ alarmTopic: new sns.Topic(stack, 'Alarms') }));

    // then
    const topicRef = [{ Ref: Match.stringLikeRegexp('^Alarms') }];
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(11);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: topicRef, OKActions: topicRef });
  });

  it('have no actions without a topic', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
  });
});

describe('dashboard', () => {
  it('shows lag, throughput (invocations, DocumentsIndexed) and failures', () => {
    // given / when
    const { template } = synthesizeSync({ syncName: 'products' });

    // then
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard?.['Properties'].DashboardName).toBe('products-sync');
    const body = JSON.stringify(dashboard?.['Properties'].DashboardBody);
    for (const shown of ['IteratorAge', 'Invocations', 'DocumentsIndexed', 'Errors', 'Throttles', 'ApproximateNumberOfMessagesVisible', 'LostRanges']) {
      expect(body).toContain(shown);
    }
  });
});
