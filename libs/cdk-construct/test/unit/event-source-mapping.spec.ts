import { Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

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

  it("takes the definition's stream and failure settings, and the bisect prop", () => {
    // given
    const definition = {
      stream: { batchSize: 500, maxBatchingWindowSeconds: 0, parallelizationFactor: 4 },
      failures: { retryAttempts: 3, maxRecordAgeHours: 2 },
    };

    // when
    const { template } = synthesizeSync({ definition, bisectBatchOnError: false });

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

  it('passes the starting position, filters and enabled flag through', () => {
    // given
    const filters = [lambda.FilterCriteria.filter({ dynamodb: { NewImage: { entityType: { S: lambda.FilterRule.isEqual('product') } } } })];

    // when
    const { template } = synthesizeSync({ startingPosition: lambda.StartingPosition.LATEST, filters, enabled: false });

    // then
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      Enabled: false,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { entityType: { S: ['product'] } } } }) }] },
    });
  });

  it.each([
    [
      'startingPosition',
      { startingPosition: lambda.StartingPosition.AT_TIMESTAMP },
      /"startingPosition": must be TRIM_HORIZON or LATEST for a DynamoDB stream, got AT_TIMESTAMP/,
    ],
    ['filters', { filters: [] }, /"filters": must be a non-empty list/],
    ['failures.destination', { definition: { failures: { destination: 'sns' as 'sqs' } } }, /failures.destination: must be sqs or s3/],
    ['otherStreamReaders', { otherStreamReaders: 1.5 }, /"otherStreamReaders": must be an integer from 0 to 2, got 1.5/],
  ])('refuses a bad %s naming it', (_prop, props, message) => {
    expect(() => synthesizeSync(props)).toThrow(message);
  });
});
