import { decodeArchive } from '@ddb-os/failure-archive';
import { fitMessage, poisonRecordMessage } from '@ddb-os/indexing-core';
import { createFailureHandler } from '../../src/handler';
import {
  dependenciesFactory,
  fakeStreamsClient,
  onFailureRecordFactory,
  poisonMessageFactory,
  SHARD_ID,
  sqsRecordFactory,
  streamRecordFactory,
} from '../helpers/factories';

const streamWith = (sequences: string[]) =>
  fakeStreamsClient((name) => {
    if (name === 'DescribeStreamCommand')
      return { StreamDescription: { Shards: [{ ShardId: SHARD_ID, SequenceNumberRange: { StartingSequenceNumber: '1' } }] } };
    if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
    return { Records: sequences.map((s) => streamRecordFactory(s)), NextShardIterator: 'it' };
  });

describe('failure handler', () => {
  it('archives the records of a failed range, in Lambda shape, and reports no failure', async () => {
    // given an on-failure message and a stream holding its range and one record after it
    const deps = dependenciesFactory({ streams: streamWith(['100', '200', '300', '400']).client });
    const handler = createFailureHandler(deps);
    const body = JSON.stringify(onFailureRecordFactory({ start: '100', end: '300' }));

    // when handled
    const response = await handler({ Records: [sqsRecordFactory(body)] });

    // then one object holds exactly 100..300 in Lambda's record shape
    expect(response).toEqual({ batchItemFailures: [] });
    const [key, object] = [...deps.store.objects.entries()][0] ?? ['', { body: new Uint8Array() }];
    expect(key).toBe(`failures/orders/2026/03/04/${SHARD_ID}/100-300.ndjson`);
    const archive = decodeArchive(object.body);
    expect(archive.records.map((r) => (r as { dynamodb: { SequenceNumber: string } }).dynamodb.SequenceNumber)).toEqual([
      '100',
      '200',
      '300',
    ]);
    expect(archive.records[0]).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: expect.stringContaining(':table/orders/stream/'),
      awsRegion: 'eu-west-1',
    });
    expect(deps.metrics.total('ArchivedRecords')).toBe(3);
  });

  it("archives the writer's dead-lettered malformed buffer message (its record is the body text) as a poison record with the writer's reason", async () => {
    // given the DLQ message the buffered writer sends for a body that is not a stream record
    const message = poisonRecordMessage(
      '{"half',
      'malformed buffer message m-1: message body is not JSON (Unterminated string)',
      new Date('2026-03-04T05:06:07.890Z'),
      undefined,
    );
    const fitted = fitMessage(message, 256 * 1024);
    if (!fitted.ok) throw new Error(fitted.reason);
    const deps = dependenciesFactory();
    // when handled
    const response = await createFailureHandler(deps)({ Records: [sqsRecordFactory(fitted.body)] });
    // then it is archived as the poison record it is, not as an unparseable message
    expect(response).toEqual({ batchItemFailures: [] });
    const [, object] = [...deps.store.objects.entries()][0] ?? ['', { body: new Uint8Array() }];
    const archive = decodeArchive(object.body);
    expect(archive.header).toMatchObject({ kind: 'poison-record', reason: message.reason });
    expect(archive.records).toEqual(['{"half']);
  });

  it('writes one object when the same message is delivered twice, without reading the stream again', async () => {
    // given one message delivered twice
    const { client, calls } = streamWith(['100', '300']);
    const deps = dependenciesFactory({ streams: client });
    const handler = createFailureHandler(deps);
    const record = sqsRecordFactory(JSON.stringify(onFailureRecordFactory({ start: '100', end: '300' })));

    // when handled twice
    await handler({ Records: [record] });
    const readsAfterFirst = calls.length;
    const second = await handler({ Records: [{ ...record, messageId: 'message-1-redelivered' }] });

    // then one object, the second delivery counted as a duplicate, and no stream read for it
    expect(second.batchItemFailures).toEqual([]);
    expect(deps.store.objects.size).toBe(1);
    expect(calls.length).toBe(readsAfterFirst);
    expect(deps.metrics.total('DuplicateMessages')).toBe(1);
  });

  it('archives a poison record with its reason', async () => {
    // given a DLQ message
    const deps = dependenciesFactory();
    const message = poisonMessageFactory();

    // when handled
    await createFailureHandler(deps)({ Records: [sqsRecordFactory(JSON.stringify(message))] });

    // then
    const [object] = [...deps.store.objects.values()];
    const archive = decodeArchive(object?.body ?? new Uint8Array());
    expect(archive.header).toMatchObject({ kind: 'poison-record', reason: message.reason });
    expect(archive.records).toEqual([message.record]);
  });

  it('archives an unparseable message as is and does not ask for it again', async () => {
    // given garbage
    const deps = dependenciesFactory();

    // when handled
    const response = await createFailureHandler(deps)({ Records: [sqsRecordFactory('garbage')] });

    // then it is archived (so deleted from the queue), never retried forever
    expect(response.batchItemFailures).toEqual([]);
    const [key] = [...deps.store.objects.keys()];
    expect(key).toMatch(/^failures\/_unknown\/2026\/03\/04\/unparseable\/[0-9a-f]{64}\.ndjson$/);
    expect(deps.metrics.total('UnparseableMessages')).toBe(1);
    expect(deps.logger.lines.find((line) => line.level === 'warn')?.attributes).toMatchObject({
      reason: expect.stringMatching(/^body is not JSON/),
    });
  });

  it('reports a message it could not archive (S3 down) by SQS message id, and archives it on redelivery', async () => {
    // given S3 failing for the first message only
    const deps = dependenciesFactory();
    const handler = createFailureHandler(deps);
    deps.store.failWith = new Error('S3 unavailable');
    const failing = sqsRecordFactory(JSON.stringify(poisonMessageFactory()), { messageId: 'first' });

    // when the first batch fails and a second succeeds
    const failed = await handler({ Records: [failing] });
    deps.store.failWith = undefined;
    const retried = await handler({ Records: [failing] });

    // then the failure is reported for a retry, counted, and the retry archives it
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'first' }]);
    expect(deps.metrics.total('ArchiveFailures')).toBe(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(deps.store.objects.size).toBe(1);
  });

  it('archives a lost range, counts it and logs an error pointing to verify --repair', async () => {
    // given a shard the stream no longer lists
    const deps = dependenciesFactory({ streams: fakeStreamsClient(() => ({ StreamDescription: { Shards: [] } })).client });

    // when handled
    const response = await createFailureHandler(deps)({ Records: [sqsRecordFactory(JSON.stringify(onFailureRecordFactory()))] });

    // then
    expect(response.batchItemFailures).toEqual([]);
    const [object] = [...deps.store.objects.values()];
    expect(decodeArchive(object?.body ?? new Uint8Array()).header).toMatchObject({
      kind: 'lost-range',
      lost: { condition: 'shard-not-found' },
    });
    expect(deps.metrics.total('LostRanges')).toBe(1);
    const error = deps.logger.lines.find((line) => line.level === 'error');
    expect(error?.message).toContain('verify --repair');
    expect(error?.attributes).toMatchObject({ shardId: SHARD_ID, lost: { condition: 'shard-not-found' } });
  });

  it('records the age of the oldest message from SentTimestamp and publishes metrics once per batch', async () => {
    // given messages sent 10 s and 4 s before now (now is 05:10:00)
    const deps = dependenciesFactory();
    const sent = (iso: string) => ({ ...sqsRecordFactory('x').attributes, SentTimestamp: String(Date.parse(iso)) });
    const records = [
      sqsRecordFactory('a', { messageId: 'a', attributes: sent('2026-03-04T05:09:56.000Z') }),
      sqsRecordFactory('b', { messageId: 'b', attributes: sent('2026-03-04T05:09:50.000Z') }),
    ];

    // when handled
    await createFailureHandler(deps)({ Records: records });

    // then
    expect(deps.metrics.values.get('OldestMessageAge')).toEqual([10_000]);
    expect(deps.metrics.published).toBe(1);
  });
});
