import { decodeArchive } from '@ddb-os/failure-archive';
import { createFailureHandler } from '../../src/handler';
import {
  dependenciesFactory,
  fakeStreamsClient,
  lambdaRecordFactory,
  ON_FAILURE_OBJECT_KEY,
  onFailureObjectFactory,
  onFailureRecordFactory,
  s3NotificationFactory,
  SHARD_ID,
  sqsRecordFactory,
  streamRecordFactory,
} from '../helpers/factories';

const BUCKET = 'sync-on-failure';
const start = '100000000000000000100';
const end = '100000000000000000300';
const sequences = (records: readonly unknown[]) =>
  records.map((record) => (record as { dynamodb: { SequenceNumber: string } }).dynamodb.SequenceNumber);
const notification = (key = ON_FAILURE_OBJECT_KEY) => sqsRecordFactory(JSON.stringify(s3NotificationFactory(BUCKET, key)));

describe('failure handler with the S3 on-failure destination', () => {
  it("archives exactly the payload's records without reading the stream", async () => {
    // given an on-failure object (the default streams fake fails any call) and its notification
    const deps = dependenciesFactory();
    const records = [lambdaRecordFactory(start), lambdaRecordFactory('100000000000000000200', 'PRODUCT#2'), lambdaRecordFactory(end)];
    deps.objects.put(BUCKET, ON_FAILURE_OBJECT_KEY, onFailureObjectFactory(records, { start, end }));

    // when
    const response = await createFailureHandler(deps)({ Records: [notification()] });

    // then
    expect(response).toEqual({ batchItemFailures: [] });
    expect(deps.objects.reads).toEqual([`${BUCKET}/${ON_FAILURE_OBJECT_KEY}`]);
    expect([...deps.store.objects.keys()]).toEqual([`failures/orders/2026/03/04/${SHARD_ID}/${start}-${end}.ndjson`]);
    const [object] = [...deps.store.objects.values()];
    const archive = decodeArchive(object?.body ?? new Uint8Array());
    expect(archive.records).toEqual(records);
    expect(archive.header).toMatchObject({
      kind: 'stream-batch',
      lost: null,
      counts: { records: 3, expected: 3 },
      details: { onFailureObject: { bucket: BUCKET, key: ON_FAILURE_OBJECT_KEY } },
    });
    expect(deps.metrics.total('ArchivedRecords')).toBe(3);
  });

  it('archives every object of a notification that announces several', async () => {
    // given two failed batches of two shards, in one notification
    const deps = dependenciesFactory();
    const otherKey = `${ON_FAILURE_OBJECT_KEY}-2`;
    deps.objects.put(BUCKET, ON_FAILURE_OBJECT_KEY, onFailureObjectFactory([lambdaRecordFactory(start)], { start, end: start }));
    deps.objects.put(BUCKET, otherKey, onFailureObjectFactory([lambdaRecordFactory(end)], { start: end, end, shardId: 'shardId-2' }));
    const [first] = s3NotificationFactory(BUCKET, ON_FAILURE_OBJECT_KEY).Records;
    const [second] = s3NotificationFactory(BUCKET, otherKey).Records;
    const body = JSON.stringify({ Records: [first, second] });

    // when
    const response = await createFailureHandler(deps)({ Records: [sqsRecordFactory(body)] });

    // then
    expect(response.batchItemFailures).toEqual([]);
    expect([...deps.store.objects.keys()].sort()).toEqual([
      `failures/orders/2026/03/04/${SHARD_ID}/${start}-${start}.ndjson`,
      `failures/orders/2026/03/04/shardId-2/${end}-${end}.ndjson`,
    ]);
    expect(deps.logger.lines).toContainEqual(
      expect.objectContaining({ message: 'Archived failure', attributes: expect.objectContaining({ records: 2, written: true }) }),
    );
  });

  it('writes one archive when the notification is delivered twice', async () => {
    // given
    const deps = dependenciesFactory();
    deps.objects.put(BUCKET, ON_FAILURE_OBJECT_KEY, onFailureObjectFactory([lambdaRecordFactory(start)], { start, end: start }));
    const handler = createFailureHandler(deps);

    // when
    await handler({ Records: [notification()] });
    const second = await handler({ Records: [{ ...notification(), messageId: 'redelivered' }] });

    // then
    expect(second.batchItemFailures).toEqual([]);
    expect(deps.store.objects.size).toBe(1);
    expect(deps.metrics.total('DuplicateMessages')).toBe(1);
  });

  it('acknowledges the s3:TestEvent without archiving anything', async () => {
    // given
    const deps = dependenciesFactory();
    const body = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: BUCKET });

    // when
    const response = await createFailureHandler(deps)({ Records: [sqsRecordFactory(body)] });

    // then
    expect(response).toEqual({ batchItemFailures: [] });
    expect(deps.store.objects.size).toBe(0);
    expect(deps.logger.lines).toEqual([expect.objectContaining({ level: 'info', message: 'S3 test event: nothing to archive' })]);
  });

  it('reports the message for redelivery when the object cannot be read', async () => {
    // given a notification of an object that is not there
    const deps = dependenciesFactory();

    // when
    const response = await createFailureHandler(deps)({ Records: [notification()] });

    // then
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'message-1' }] });
    expect(deps.logger.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        attributes: expect.objectContaining({ error: expect.objectContaining({ name: 'NoSuchKey' }) }),
      }),
    ]);
  });

  it('reads the range from the stream when the object has no usable payload, saying why', async () => {
    // given an object without payload and a stream holding the range
    const streams = fakeStreamsClient((name) => {
      if (name === 'DescribeStreamCommand')
        return { StreamDescription: { Shards: [{ ShardId: SHARD_ID, SequenceNumberRange: { StartingSequenceNumber: '1' } }] } };
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      return { Records: [streamRecordFactory(start), streamRecordFactory(end)], NextShardIterator: 'it' };
    });
    const deps = dependenciesFactory({ streams: streams.client });
    deps.objects.put(BUCKET, ON_FAILURE_OBJECT_KEY, JSON.stringify(onFailureRecordFactory({ start, end, batchSize: 2 })));

    // when
    const response = await createFailureHandler(deps)({ Records: [notification()] });

    // then
    expect(response.batchItemFailures).toEqual([]);
    const [object] = [...deps.store.objects.values()];
    expect(sequences(decodeArchive(object?.body ?? new Uint8Array()).records)).toEqual([start, end]);
    expect(deps.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', attributes: expect.objectContaining({ reason: 'the invocation record has no payload' }) }),
    );
  });

  it('archives the notification verbatim when the object is not an invocation record, naming the object', async () => {
    // given
    const deps = dependenciesFactory();
    deps.objects.put(BUCKET, ON_FAILURE_OBJECT_KEY, 'not json');

    // when
    const response = await createFailureHandler(deps)({ Records: [notification()] });

    // then
    expect(response.batchItemFailures).toEqual([]);
    const [object] = [...deps.store.objects.values()];
    const archive = decodeArchive(object?.body ?? new Uint8Array());
    expect(archive.header.kind).toBe('unparseable');
    expect(archive.header.reason).toMatch(new RegExp(`^s3://${BUCKET}/${ON_FAILURE_OBJECT_KEY}: object is not JSON`));
    expect(deps.metrics.total('UnparseableMessages')).toBe(1);
  });
});
