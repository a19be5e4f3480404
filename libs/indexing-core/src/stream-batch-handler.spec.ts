import { loadIndexingConfig } from './config';
import type { DeadLetterSender, PoisonRecordMessage } from './dead-letter';
import type { DocumentOutcome, IndexingDependencies, IndexPort } from './index-records';
import { earliestFailure, handleStreamBatch as processBatch } from './stream-batch-handler';
import { UnreportableFailureError } from './unreportable-failure';
import { lambdaContext, lambdaEvent, ShardHistory } from '@ddb-os/testing';

const config = loadIndexingConfig({
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  INDEX_ROUTES: JSON.stringify([{ index: 'things', match: { always: true } }]),
  KEY_ATTRIBUTES: 'pk,sk',
  DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq',
});

/** Answers each document with the outcome the test scripted for its `pk`. */
function scriptedIndex(outcomes: Record<string, DocumentOutcome>): IndexPort {
  return {
    write: async (_index, writes) => writes.map((write) => outcomes[String(write.last.change.keys['pk'])] ?? { status: 'applied' }),
  };
}

function deadLetter(accepts: boolean): DeadLetterSender & { sent: PoisonRecordMessage[] } {
  const sent: PoisonRecordMessage[] = [];
  return { sent, send: async (messages) => (accepts ? (sent.push(...messages), []) : [...messages]) };
}

function deps(index: IndexPort, sender: DeadLetterSender): IndexingDependencies {
  return { config, schemas: {}, index, deadLetter: sender, log: () => undefined };
}

describe('handleStreamBatch', () => {
  it('reports the earliest record of the earliest failed document, counting coalesced records', async () => {
    // given: b's first record comes before a's only record, and b's write fails
    const shard = new ShardHistory();
    const bFirst = shard.put({ pk: 'b', sk: '1', v: 1 });
    shard.put({ pk: 'a', sk: '1', v: 1 });
    shard.put({ pk: 'b', sk: '1', v: 2 });
    // when
    const response = await processBatch(lambdaEvent(shard.records), lambdaContext(), deps(scriptedIndex({ b: { status: 'retryable', reason: '503' } }), deadLetter(true)));
    // then
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bFirst.dynamodb?.SequenceNumber }]);
  });

  it('dead-letters poison documents without blocking the shard', async () => {
    const shard = new ShardHistory();
    shard.put({ pk: 'a', sk: '1' });
    const poison = shard.put({ pk: 'p', sk: '1' });
    const sender = deadLetter(true);
    const response = await processBatch(lambdaEvent(shard.records), lambdaContext(), deps(scriptedIndex({ p: { status: 'poison', reason: 'mapper_parsing_exception' } }), sender));
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent).toEqual([expect.objectContaining({ reason: 'mapper_parsing_exception', sequenceNumber: poison.dynamodb?.SequenceNumber, record: poison })]);
  });

  it('reports a poison record for redelivery when the dead-letter queue refuses it', async () => {
    // given
    const shard = new ShardHistory();
    const poison = shard.put({ pk: 'p', sk: '1' });
    // when
    const response = await processBatch(lambdaEvent(shard.records), lambdaContext(), deps(scriptedIndex({ p: { status: 'poison', reason: 'too large' } }), deadLetter(false)));
    // then: never dropped
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb?.SequenceNumber }]);
  });

  it('dead-letters a malformed record with the reason and keeps indexing its neighbours', async () => {
    const shard = new ShardHistory();
    const good = shard.put({ pk: 'a', sk: '1' });
    const malformed = { ...good, eventName: 'UPSERT' };
    const sender = deadLetter(true);
    const response = await processBatch(lambdaEvent([malformed as typeof good, good]), lambdaContext(), deps(scriptedIndex({}), sender));
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent).toEqual([expect.objectContaining({ reason: expect.stringContaining('malformed stream record'), record: malformed })]);
  });

  it('fails the whole invocation when a record without a sequence number cannot be dead-lettered', async () => {
    // given: no SequenceNumber to report, and the DLQ is down
    const shard = new ShardHistory();
    const good = shard.put({ pk: 'a', sk: '1' });
    const unnumbered = { ...good, dynamodb: { ...good.dynamodb, SequenceNumber: undefined } };
    // when
    const run = processBatch(lambdaEvent([unnumbered]), lambdaContext(), deps(scriptedIndex({}), deadLetter(false)));
    // then: Lambda retries the batch, then hands it to the on-failure destination
    await expect(run).rejects.toThrow(UnreportableFailureError);
  });

  it('treats a thrown index error as retryable for every document of that index', async () => {
    const shard = new ShardHistory();
    const first = shard.put({ pk: 'a', sk: '1' });
    shard.put({ pk: 'b', sk: '1' });
    const failing: IndexPort = { write: async () => { throw new Error('connect ECONNREFUSED'); } };
    const response = await processBatch(lambdaEvent(shard.records), lambdaContext(), deps(failing, deadLetter(true)));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: first.dynamodb?.SequenceNumber }]);
  });
});

describe('earliestFailure', () => {
  it('reports nothing when nothing failed', () => {
    expect(earliestFailure([])).toEqual([]);
  });

  it('reports the numerically earliest sequence number, not the lexicographic one', () => {
    // given: sequence numbers exceed 2^53 and differ in length
    const failed = ['100000000000000000000000000010', '99999999999999999999999999999', '100000000000000000000000000002'];
    // when / then
    expect(earliestFailure(failed)).toEqual([{ itemIdentifier: '99999999999999999999999999999' }]);
  });
});
