import { recordingLogger } from '@ddb-os/lambda-runtime';
import { documentId } from '@ddb-os/opensearch-mapping';
import { lambdaEvent, ShardHistory } from '@ddb-os/testing';
import { fakeDeadLetter, fakePublisher, publishDeps } from '../helpers/factories';
import { UnreportablePublishFailureError } from '../../src/errors';
import { handleStreamToBuffer } from '../../src/handler';

const products = (count: number, shard = new ShardHistory()) =>
  Array.from({ length: count }, (_, n) => shard.put({ pk: `PRODUCT#p${n}`, sk: 'PRODUCT', n }));

describe('handleStreamToBuffer', () => {
  it('publishes every record as JSON, grouped by document id and deduplicated by eventID, ten per call', async () => {
    // given
    const records = products(12);
    const publisher = fakePublisher();
    // when
    const response = await handleStreamToBuffer(lambdaEvent(records), publishDeps(publisher));
    // then
    expect(response.batchItemFailures).toEqual([]);
    expect(publisher.calls.map((call) => call.length)).toEqual([10, 2]);
    const [first] = publisher.calls[0] ?? [];
    expect(first).toMatchObject({
      groupId: documentId({ pk: 'PRODUCT#p0', sk: 'PRODUCT' }, ['pk', 'sk']),
      deduplicationId: records[0]?.eventID,
    });
    expect(JSON.parse(first?.body ?? '')).toEqual(records[0]);
  });

  it('keeps one document in one group, in stream order', async () => {
    // given
    const shard = new ShardHistory();
    shard.put({ pk: 'a', sk: '1', v: 1 });
    shard.put({ pk: 'b', sk: '1', v: 1 });
    shard.put({ pk: 'a', sk: '1', v: 2 });
    const publisher = fakePublisher();
    // when
    await handleStreamToBuffer(lambdaEvent(shard.records), publishDeps(publisher));
    // then
    const groupOfA = documentId({ pk: 'a', sk: '1' }, ['pk', 'sk']);
    const ofA = (publisher.calls[0] ?? []).filter((message) => message.groupId === groupOfA);
    expect(
      ofA.map((message) => (JSON.parse(message.body) as { dynamodb: { NewImage: { v: { N: string } } } }).dynamodb.NewImage.v.N),
    ).toEqual(['1', '2']);
  });

  it('splits calls so that no call carries more bytes than the limit', async () => {
    // given: each record is about 200 bytes of JSON; the limit fits three
    const records = products(7);
    const size = Buffer.byteLength(JSON.stringify(records[0]));
    const publisher = fakePublisher();
    // when
    await handleStreamToBuffer(lambdaEvent(records), publishDeps(publisher, fakeDeadLetter(), size * 3 + 10));
    // then
    expect(publisher.calls.map((call) => call.length)).toEqual([3, 3, 1]);
  });

  it('stops at the first refused entry and reports the earliest unpublished record', async () => {
    // given: entry 12 (second call) is refused
    const records = products(25);
    const publisher = fakePublisher({ refuse: [12, 14] });
    // when
    const response = await handleStreamToBuffer(lambdaEvent(records), publishDeps(publisher));
    // then: the third call never happens, Lambda resumes at record 12
    expect(publisher.calls).toHaveLength(2);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[12]?.dynamodb?.SequenceNumber }]);
  });

  it('reports the first record of a call that failed as a whole', async () => {
    // given
    const records = products(15);
    // when
    const response = await handleStreamToBuffer(lambdaEvent(records), publishDeps(fakePublisher({ throwOnCall: 2 })));
    // then
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[10]?.dynamodb?.SequenceNumber }]);
  });

  it('dead-letters a record over the message limit with the reason and publishes the others', async () => {
    // given
    const shard = new ShardHistory();
    const small = shard.put({ pk: 'a', sk: '1' });
    const large = shard.put({ pk: 'b', sk: '1', blob: 'x'.repeat(2_000) });
    const publisher = fakePublisher();
    const deadLetter = fakeDeadLetter();
    // when
    const response = await handleStreamToBuffer(lambdaEvent([small, large]), publishDeps(publisher, deadLetter, 1_000));
    // then
    expect(response.batchItemFailures).toEqual([]);
    expect(publisher.calls.flat().map((message) => message.position)).toEqual([0]);
    expect(deadLetter.sent).toEqual([
      expect.objectContaining({
        kind: 'poison-record',
        reason: expect.stringMatching(/over the buffer message limit of 1000 bytes/),
        sequenceNumber: large.dynamodb?.SequenceNumber,
        record: large,
      }),
    ]);
  });

  it('reports an oversized record for redelivery when the dead-letter queue refuses it', async () => {
    // given
    const shard = new ShardHistory();
    const large = shard.put({ pk: 'b', sk: '1', blob: 'x'.repeat(2_000) });
    // when
    const response = await handleStreamToBuffer(lambdaEvent([large]), publishDeps(fakePublisher(), fakeDeadLetter(false), 1_000));
    // then
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: large.dynamodb?.SequenceNumber }]);
  });

  it("logs the dead-letter queue's refusal of an oversized record at error, with the queue's error and the sequence number", async () => {
    // given
    const shard = new ShardHistory();
    const large = shard.put({ pk: 'b', sk: '1', blob: 'x'.repeat(2_000) });
    const logger = recordingLogger();
    // when
    await handleStreamToBuffer(lambdaEvent([large]), publishDeps(fakePublisher(), fakeDeadLetter(false), 1_000, logger));
    // then
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: expect.stringContaining('dead-letter queue refused'),
      fields: expect.objectContaining({
        deadLetterError: expect.stringContaining('QueueDoesNotExist'),
        sequenceNumber: large.dynamodb?.SequenceNumber,
      }),
    });
  });

  it('logs a failed buffer call at warn with the error and the first sequence number not published', async () => {
    const records = products(15);
    const logger = recordingLogger();
    await handleStreamToBuffer(lambdaEvent(records), publishDeps(fakePublisher({ throwOnCall: 2 }), fakeDeadLetter(), 256 * 1024, logger));
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: expect.stringContaining('buffer publish failed'),
      fields: expect.objectContaining({ error: 'Error: ServiceUnavailable', firstSequenceNumber: records[10]?.dynamodb?.SequenceNumber }),
    });
  });

  it('fails the whole invocation when an unpublished record has no sequence number to report', async () => {
    // given
    const [record] = products(1);
    const unnumbered = { ...record, dynamodb: { ...record?.dynamodb, SequenceNumber: undefined } };
    // when
    const run = handleStreamToBuffer({ Records: [unnumbered] }, publishDeps(fakePublisher({ refuse: [0] })));
    // then
    await expect(run).rejects.toThrow(UnreportablePublishFailureError);
  });
});
