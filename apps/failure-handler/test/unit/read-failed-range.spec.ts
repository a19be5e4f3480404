import { readFailedRange } from '../../src/read-failed-range';
import { fakeStreamsClient, serviceError, SHARD_ID, STREAM_ARN, streamRecordFactory } from '../helpers/factories';

const range = { start: '100', end: '300' };
const request = { streamArn: STREAM_ARN, shardId: SHARD_ID, range, maxGetRecordsCalls: 5 };
const describeShard = (startingSequenceNumber = '1') => ({
  StreamDescription: { Shards: [{ ShardId: SHARD_ID, SequenceNumberRange: { StartingSequenceNumber: startingSequenceNumber } }] },
});

describe('readFailedRange', () => {
  it('opens a fresh iterator AT_SEQUENCE_NUMBER start and reads until past the end', async () => {
    // given a shard whose pages cross the end of the range
    const pages = [
      { Records: ['100', '200'].map((s) => streamRecordFactory(s)), NextShardIterator: 'it-2' },
      { Records: ['300', '400'].map((s) => streamRecordFactory(s)), NextShardIterator: 'it-3' },
    ];
    const { client, calls } = fakeStreamsClient((name) => {
      if (name === 'DescribeStreamCommand') return describeShard();
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it-1' };
      return pages.shift();
    });

    // when the range is read
    const result = await readFailedRange(client, request);

    // then exactly 100..300 are returned, nothing is lost, and no call is made past the end
    expect(result.records.map((r) => r.dynamodb?.SequenceNumber)).toEqual(['100', '200', '300']);
    expect(result.lost).toBeNull();
    expect(calls.find((c) => c.name === 'GetShardIteratorCommand')?.input).toEqual({
      StreamArn: STREAM_ARN,
      ShardId: SHARD_ID,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: '100',
    });
    expect(calls.filter((c) => c.name === 'GetRecordsCommand')).toHaveLength(2);
  });

  it('stops after maxGetRecordsCalls on an open shard that returns empty pages forever', async () => {
    // given an open shard at its tip
    const { client, calls } = fakeStreamsClient((name) => {
      if (name === 'DescribeStreamCommand') return describeShard();
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      return { Records: [], NextShardIterator: 'it' };
    });

    // when read
    const result = await readFailedRange(client, request);

    // then it gives up after the budget and reports the range as incomplete
    expect(calls.filter((c) => c.name === 'GetRecordsCommand')).toHaveLength(5);
    expect(result.lost).toMatchObject({ condition: 'range-incomplete', range });
  });

  it('ends at a null next iterator (closed shard) and reports the unread tail', async () => {
    // given a closed shard that ends at 150
    const { client } = fakeStreamsClient((name) => {
      if (name === 'DescribeStreamCommand') return describeShard();
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      return { Records: ['100', '150'].map((s) => streamRecordFactory(s)), NextShardIterator: undefined };
    });

    // when read
    const result = await readFailedRange(client, request);

    // then the two records are kept and 151..300 reported
    expect(result.records).toHaveLength(2);
    expect(result.lost).toMatchObject({ condition: 'range-incomplete', range: { start: '151', end: '300' } });
    expect(result.getRecordsCalls).toBe(1);
  });

  it('reports a trimmed range when GetShardIterator says the data is trimmed', async () => {
    // given trimmed data
    const { client } = fakeStreamsClient((name) => {
      if (name === 'DescribeStreamCommand') return describeShard();
      throw serviceError('TrimmedDataAccessException', 'sequence number is beyond the trim horizon');
    });

    // when read
    const result = await readFailedRange(client, request);

    // then nothing is read and the whole range is lost to trimming
    expect(result.records).toEqual([]);
    expect(result.lost).toMatchObject({ condition: 'trimmed', range, detail: expect.stringContaining('beyond the trim horizon') });
  });

  it('reads from TRIM_HORIZON when the shard starts after the range start, and reports the front as trimmed', async () => {
    // given a shard whose first retained record is 200
    const { client, calls } = fakeStreamsClient((name) => {
      if (name === 'DescribeStreamCommand') return describeShard('200');
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      return { Records: ['200', '300'].map((s) => streamRecordFactory(s)), NextShardIterator: 'it' };
    });

    // when read
    const result = await readFailedRange(client, request);

    // then what remains is recovered, and 100..199 are lost
    expect(calls.find((c) => c.name === 'GetShardIteratorCommand')?.input).toMatchObject({ ShardIteratorType: 'TRIM_HORIZON' });
    expect(result.records.map((r) => r.dynamodb?.SequenceNumber)).toEqual(['200', '300']);
    expect(result.lost).toMatchObject({ condition: 'trimmed', range: { start: '100', end: '199' } });
  });

  it('reports shard-not-found without reading when DescribeStream does not list the shard', async () => {
    // given a stream without that shard
    const { client, calls } = fakeStreamsClient(() => ({ StreamDescription: { Shards: [{ ShardId: 'shardId-other' }] } }));

    // when read
    const result = await readFailedRange(client, request);

    // then
    expect(result.lost).toMatchObject({ condition: 'shard-not-found', range });
    expect(calls.map((c) => c.name)).toEqual(['DescribeStreamCommand']);
  });

  it('follows DescribeStream pages to find the shard', async () => {
    // given the shard on the second page
    const { client, calls } = fakeStreamsClient((name, input) => {
      if (name === 'DescribeStreamCommand') {
        return input['ExclusiveStartShardId'] === undefined
          ? { StreamDescription: { Shards: [{ ShardId: 'shardId-a' }], LastEvaluatedShardId: 'shardId-a' } }
          : describeShard();
      }
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      return { Records: ['100', '300'].map((s) => streamRecordFactory(s)), NextShardIterator: 'it' };
    });

    // when read
    const result = await readFailedRange(client, request);

    // then
    expect(result.lost).toBeNull();
    expect(calls.filter((c) => c.name === 'DescribeStreamCommand')).toHaveLength(2);
  });

  it('reports stream-not-found when the stream is gone', async () => {
    // given a deleted stream
    const { client } = fakeStreamsClient(() => {
      throw serviceError('ResourceNotFoundException', 'Requested resource not found: Stream');
    });

    // when read
    const result = await readFailedRange(client, request);

    // then
    expect(result.lost).toMatchObject({ condition: 'stream-not-found', range });
  });

  it('reopens an expired iterator right after the last record read', async () => {
    // given the second GetRecords finds its iterator expired
    let getRecords = 0;
    const { client, calls } = fakeStreamsClient((name) => {
      if (name === 'DescribeStreamCommand') return describeShard();
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      getRecords += 1;
      if (getRecords === 1) return { Records: [streamRecordFactory('100')], NextShardIterator: 'it' };
      if (getRecords === 2) throw serviceError('ExpiredIteratorException');
      return { Records: [streamRecordFactory('300')], NextShardIterator: 'it' };
    });

    // when read
    const result = await readFailedRange(client, request);

    // then it resumed AFTER 100 and completed the range
    expect(calls.filter((c) => c.name === 'GetShardIteratorCommand')[1]?.input).toMatchObject({
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      SequenceNumber: '100',
    });
    expect(result.records.map((r) => r.dynamodb?.SequenceNumber)).toEqual(['100', '300']);
    expect(result.lost).toBeNull();
  });

  it('throws errors worth retrying (throttling, network) so the message is delivered again', async () => {
    // given a throttled stream
    const { client } = fakeStreamsClient(() => {
      throw serviceError('LimitExceededException');
    });

    // when / then
    await expect(readFailedRange(client, request)).rejects.toThrow('LimitExceededException');
  });
});
