import { buildOnFailureRecord } from '../../src/on-failure-record';
import { SHARD_ID, STREAM_ARN, streamRecord } from '../helpers/factories';

describe('buildOnFailureRecord', () => {
  it('has exactly the shape of a Lambda on-failure record for a DynamoDB stream batch', () => {
    // given
    const records = [
      streamRecord('4100000000000000000001', { createdAt: new Date('2026-03-01T10:00:01.700Z') }),
      streamRecord('4100000000000000000002', { createdAt: new Date('2026-03-01T10:00:05.200Z') }),
    ];
    // when
    const record = buildOnFailureRecord({
      streamArn: STREAM_ARN,
      shardId: SHARD_ID,
      functionName: 'indexer',
      condition: 'RetryAttemptsExhausted',
      requestId: 'request-1',
      approximateInvokeCount: 4,
      functionError: 'Unhandled',
      records,
      now: new Date('2026-03-01T10:01:00.123Z'),
    });
    // then
    expect(record).toStrictEqual({
      requestContext: {
        requestId: 'request-1',
        functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:indexer',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 4,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-03-01T10:01:00.123Z',
      DDBStreamBatchInfo: {
        shardId: SHARD_ID,
        startSequenceNumber: '4100000000000000000001',
        endSequenceNumber: '4100000000000000000002',
        approximateArrivalOfFirstRecord: '2026-03-01T10:00:01Z',
        approximateArrivalOfLastRecord: '2026-03-01T10:00:05Z',
        batchSize: 2,
        streamArn: STREAM_ARN,
      },
    });
  });

  it('leaves functionError out when the function returned a partial failure', () => {
    // when
    const record = buildOnFailureRecord({
      streamArn: STREAM_ARN,
      shardId: SHARD_ID,
      functionName: 'indexer',
      condition: 'RecordAgeExceeded',
      requestId: 'request-2',
      approximateInvokeCount: 1,
      functionError: undefined,
      records: [streamRecord(7)],
      now: new Date(),
    });
    // then
    expect(record.responseContext).toStrictEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(record.requestContext.condition).toBe('RecordAgeExceeded');
  });

  it('refuses an empty batch', () => {
    // when / then
    expect(() =>
      buildOnFailureRecord({
        streamArn: STREAM_ARN,
        shardId: SHARD_ID,
        functionName: 'f',
        condition: 'RecordAgeExceeded',
        requestId: 'r',
        approximateInvokeCount: 0,
        functionError: undefined,
        records: [],
        now: new Date(),
      }),
    ).toThrow('at least one stream record');
  });
});
