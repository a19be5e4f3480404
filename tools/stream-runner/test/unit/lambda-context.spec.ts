import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createLambdaContext, invokeHandler } from '../../src/lambda-context';
import { fakeContext } from '../helpers/factories';

const event: DynamoDBStreamEvent = { Records: [{ eventID: '1', dynamodb: { SequenceNumber: '10' } }] };

describe('createLambdaContext', () => {
  it('counts the remaining time down from the timeout and names things like Lambda', () => {
    // given
    let now = 1_000;
    const context = createLambdaContext({
      functionName: 'indexer',
      functionArn: 'arn:aws:lambda:eu-west-1:1:function:indexer',
      timeoutMs: 3_000,
      awsRequestId: 'req-1',
      now: () => now,
    });
    // when
    now += 1_200;
    const remaining = context.getRemainingTimeInMillis();
    now += 10_000;
    const afterTimeout = context.getRemainingTimeInMillis();
    // then
    expect(remaining).toBe(1_800);
    expect(afterTimeout).toBe(0);
    expect(context).toMatchObject({
      functionName: 'indexer',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:indexer',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/indexer',
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});

describe('invokeHandler', () => {
  it('reads the partial batch response of an async handler', async () => {
    // when
    const outcome = await invokeHandler(async () => ({ batchItemFailures: [{ itemIdentifier: '10' }] }), event, fakeContext(), 1_000);
    // then
    expect(outcome).toEqual({ kind: 'partial', failedIndex: 0, itemIdentifier: '10' });
  });

  it('turns a synchronous throw into an unhandled failure', async () => {
    // when
    const outcome = await invokeHandler(
      () => {
        throw new Error('sync boom');
      },
      event,
      fakeContext(),
      1_000,
    );
    // then
    expect(outcome).toEqual({ kind: 'failure', reason: 'Error: sync boom', functionError: 'Unhandled' });
  });

  it('fails a handler still running at the timeout with Lambda’s message', async () => {
    // when
    const outcome = await invokeHandler(() => new Promise(() => undefined), event, fakeContext(), 30);
    // then
    expect(outcome).toMatchObject({ kind: 'failure', functionError: 'Unhandled' });
    expect(outcome.kind === 'failure' && outcome.reason).toContain('Task timed out after 0.03 seconds');
  });
});
