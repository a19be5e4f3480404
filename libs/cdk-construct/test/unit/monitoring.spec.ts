import { Duration, Size } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { existingTableAndDomain, fixtureCodePaths, synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

function alarmOn(template: Template, metric: Record<string, unknown>): void {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { ComparisonOperator: 'GreaterThanOrEqualToThreshold', ...metric });
}

const functionDimension = (prefix: string) => [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp(`^${prefix}`) } }];
const queueDimension = (prefix: string) => [
  { Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), 'QueueName'] } },
];

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
    alarmOn(template, {
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: functionDimension(functionPrefix),
      Statistic: 'Sum',
      Threshold: 1,
    });
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
    alarmOn(template, {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: queueDimension(queuePrefix),
      Threshold: 1800,
    });
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
    const { template, sync } = synthesizeSync({ serviceName: 'products' });

    // then
    expect(sync.serviceName).toBe('products');
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
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(16);
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
    const { template } = synthesizeSync({ serviceName: 'products' });

    // then
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard?.['Properties'].DashboardName).toBe('products-sync');
    const body = JSON.stringify(dashboard?.['Properties'].DashboardBody);
    for (const shown of [
      'IteratorAge',
      'Invocations',
      'DocumentsIndexed',
      'Errors',
      'Throttles',
      'ApproximateNumberOfMessagesVisible',
      'LostRanges',
    ]) {
      expect(body).toContain(shown);
    }
  });
});

describe('domain alarms', () => {
  const domainDimensions = [
    { Name: 'ClientId', Value: '123456789012' },
    { Name: 'DomainName', Value: { Ref: Match.stringLikeRegexp('^SyncDomain') } },
  ];

  it.each([
    ['ClusterStatus.red', 'Maximum', 60, 1, 1, 'GreaterThanOrEqualToThreshold'],
    ['ClusterStatus.yellow', 'Maximum', 60, 5, 1, 'GreaterThanOrEqualToThreshold'],
    ['ClusterIndexWritesBlocked', 'Maximum', 300, 1, 1, 'GreaterThanOrEqualToThreshold'],
    ['JVMMemoryPressure', 'Maximum', 60, 3, 95, 'GreaterThanOrEqualToThreshold'],
    ['FreeStorageSpace', 'Minimum', 60, 1, 2560, 'LessThanOrEqualToThreshold'],
  ])(
    'watch %s as AWS recommends (free storage: 25%% of the 10 GiB node volume the definition defaults to)',
    (metricName, statistic, period, evaluationPeriods, threshold, comparison) => {
      // given / when
      const { template } = synthesizeDefaultSync();

      // then
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ES',
        MetricName: metricName,
        Dimensions: domainDimensions,
        Statistic: statistic,
        Period: period,
        EvaluationPeriods: evaluationPeriods,
        Threshold: threshold,
        ComparisonOperator: comparison,
        TreatMissingData: 'notBreaching',
      });
    },
  );

  it("watch an existing domain too, with AWS's 20 GiB free-storage threshold unless one is given", () => {
    // given
    const existing = { definition: existingTableAndDomain };

    // when
    const defaulted = synthesizeSync(existing).template;
    const given = synthesizeSync({ ...existing, domainFreeStorageAlarmThreshold: Size.gibibytes(50) }).template;

    // then
    defaulted.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FreeStorageSpace',
      Threshold: 20_480,
      Dimensions: Match.arrayWith([{ Name: 'DomainName', Value: 'catalog' }]),
    });
    given.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace', Threshold: 51_200 });
  });

  it('are exposed by meaning', () => {
    // given / when
    const { sync } = synthesizeDefaultSync();
    // then
    expect(Object.keys(sync.domainAlarms)).toEqual([
      'clusterStatusRed',
      'clusterStatusYellow',
      'freeStorageSpace',
      'indexWritesBlocked',
      'jvmMemoryPressure',
    ]);
  });
});

describe('dashboard of the domain and of buffered mode', () => {
  const dashboardBody = (template: Template): string =>
    JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.['Properties'].DashboardBody);

  it('shows the domain health and its alarms', () => {
    // given / when
    const body = dashboardBody(synthesizeDefaultSync().template);

    // then
    for (const shown of [
      'ClusterStatus.red',
      'ClusterStatus.yellow',
      'ClusterIndexWritesBlocked',
      'JVMMemoryPressure',
      'FreeStorageSpace',
      'SyncDomainClusterStatusRedAlarm',
    ]) {
      expect(body).toContain(shown);
    }
  });

  it('shows, in buffered mode, the stream reader, the buffer queue and its dead-letter queue, and their alarms', () => {
    // given / when
    const body = dashboardBody(
      synthesizeSync({
        definition: { mode: 'buffered' },
        streamReaderCodePath: fixtureCodePaths.indexerCodePath,
        writerCodePath: fixtureCodePaths.indexerCodePath,
      }).template,
    );

    // then
    for (const shown of [
      'Stream reader',
      'SyncStreamReaderFunction',
      'SyncBufferQueue',
      'SyncBufferDeadLetterQueue',
      'ApproximateAgeOfOldestMessage',
      'SyncBufferQueueAgeAlarm',
      'SyncStreamReaderErrorsAlarm',
    ]) {
      expect(body).toContain(shown);
    }
  });
});
