import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { synthesizeDefaultSync, synthesizeSync } from './helpers/factories';

describe('DynamoDB stream event source mapping', () => {
  it('uses near-real-time, loss-free defaults', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 6 * 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncOnFailureQueue'), 'Arn'] } } },
    });
  });

  it('passes every tuning prop through', () => {
    // given
    const tuning = {
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(0),
      parallelizationFactor: 4,
      retryAttempts: 3,
      maxRecordAge: Duration.hours(2),
      bisectBatchOnError: false,
    };

    // when
    const { template } = synthesizeSync(tuning);

    // then
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 4,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 7200,
      BisectBatchOnFunctionError: false,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('feeds both failure queues to the failure handler with partial batch responses', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    for (const queue of ['^SyncOnFailureQueue', '^SyncDeadLetterQueue']) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(queue), 'Arn'] },
        FunctionName: { Ref: Match.stringLikeRegexp('^SyncFailureHandlerFunction') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
  });
});
