import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InvalidPropError } from '../../src';
import { fixtureCodePaths, statementsOfRole, synthesizeSync, type Synthesized } from '../helpers/factories';

/** Buffered mode with the fixture bundles standing in for the stream-reader and writer bundles. */
const bufferedProps = {
  definition: { mode: 'buffered' },
  streamReaderCodePath: fixtureCodePaths.indexerCodePath,
  writerCodePath: fixtureCodePaths.indexerCodePath,
} as const;

let synthesized: Synthesized | undefined;
const synthesizeBuffered = (): Synthesized => (synthesized ??= synthesizeSync(bufferedProps));

const ref = (logicalIdPrefix: string) =>
  Match.objectLike({ 'Fn::GetAtt': Match.arrayWith([Match.stringLikeRegexp(`^${logicalIdPrefix}`)]) });

describe("mode: 'buffered'", () => {
  it('creates an SNS FIFO topic (SSE, TLS only) delivering raw messages to an SQS FIFO queue that redrives to a FIFO DLQ', () => {
    // given / when
    const { template } = synthesizeBuffered();

    // then
    template.hasResourceProperties('AWS::SNS::Topic', {
      FifoTopic: true,
      ContentBasedDeduplication: false,
      FifoThroughputScope: 'MessageGroup',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      Endpoint: ref('SyncBufferQueue'),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: ref('SyncBufferDeadLetterQueue'), maxReceiveCount: 5 },
    });
    template.hasResourceProperties(
      'AWS::SNS::TopicPolicy',
      Match.objectLike({
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        }),
      }),
    );
  });

  it('puts the stream on the reader and the buffer queue on the writer, both with partial batch responses', () => {
    // given / when
    const { template } = synthesizeBuffered();

    // then
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^SyncStreamReaderFunction') },
      EventSourceArn: Match.objectLike({ 'Fn::GetAtt': Match.arrayWith(['StreamArn']) }),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: ref('SyncOnFailureQueue') } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^SyncIndexerFunction') },
      EventSourceArn: ref('SyncBufferQueue'),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 4);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'DynamoDB stream -> buffer topic (SNS FIFO)',
      Environment: {
        Variables: Match.objectLike({
          SYNC_NAME: 'products',
          KEY_ATTRIBUTES: Match.absent(),
          BUFFER_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^SyncBufferTopic') },
          DLQ_URL: { Ref: Match.stringLikeRegexp('^SyncDeadLetterQueue') },
        }),
      },
    });
  });

  it('gives the reader only: its logs, publish to the topic, send to the DLQ and on-failure queue, stream read; the writer no stream access', () => {
    // given / when
    const { template } = synthesizeBuffered();

    // then
    expect(statementsOfRole(template, 'SyncStreamReaderRole')).toEqual([
      { actions: ['sns:Publish'], resources: ['<SyncBufferTopic>'] },
      { actions: ['sqs:SendMessage'], resources: ['<SyncDeadLetterQueue.Arn>'] },
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['<SyncStreamReaderFunctionLogGroup.Arn>'] },
      { actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: ['<SyncOnFailureQueue.Arn>'] },
      { actions: ['dynamodb:ListStreams'], resources: ['*'] },
      { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: ['<SyncTable.StreamArn>'] },
    ]);
    expect(statementsOfRole(template, 'SyncIndexerRole')).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['<SyncIndexerFunctionLogGroup.Arn>'] },
      { actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'], resources: ['<SyncDomain.Arn>/*'] },
      { actions: ['sqs:SendMessage'], resources: ['<SyncDeadLetterQueue.Arn>'] },
      {
        actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        resources: ['<SyncBufferQueue.Arn>'],
      },
    ]);
  });

  it('alarms on the buffer age, the buffer DLQ, the reader, and the stream lag of the reader', () => {
    // given / when
    const { template, sync } = synthesizeSync({ ...bufferedProps, bufferAgeAlarmThreshold: Duration.minutes(2) });

    // then
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 120,
      EvaluationPeriods: 5,
      Dimensions: [{ Name: 'QueueName', Value: ref('SyncBufferQueue') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: ref('SyncBufferDeadLetterQueue') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^SyncStreamReaderFunction') } }],
    });
    expect(Object.keys(sync.bufferedAlarms ?? {})).toEqual([
      'streamReaderErrors',
      'streamReaderThrottles',
      'bufferQueueAge',
      'bufferDeadLetterQueueDepth',
    ]);
  });

  it('leaves only the domain placement (OS1) to the consumer in cdk-nag', () => {
    // given
    const { stack } = synthesizeBuffered();
    // when
    const report = new AwsSolutionsChecks().validateScope(stack);
    // then
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
    );
    expect(findings).toEqual(
      ['AwsSolutions-OS1', 'AwsSolutions-OS4', 'AwsSolutions-OS7'].map((rule) => `${rule} @ TestStack/Sync/Domain/Resource`),
    );
  });

  it('rejects bad buffered props by name, and buffered props in direct mode', () => {
    expect(() => synthesizeSync({ ...bufferedProps, bufferBatchSize: 11 })).toThrow(
      new InvalidPropError('bufferBatchSize', 'must be an integer from 1 to 10, got 11'),
    );
    expect(() => synthesizeSync({ bufferMaxReceiveCount: 3 })).toThrow(
      /invalid prop "bufferMaxReceiveCount": applies to mode 'buffered' only/,
    );
    expect(() => synthesizeSync({ definition: { mode: 'queued' as 'buffered' } })).toThrow(/mode: must be direct or buffered/);
  });

  it('creates none of the buffered resources in direct mode', () => {
    // given / when
    const { template, sync } = synthesizeSync();
    // then
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(sync.streamReaderFunction).toBeUndefined();
    expect(sync.bufferedAlarms).toBeUndefined();
  });
});
