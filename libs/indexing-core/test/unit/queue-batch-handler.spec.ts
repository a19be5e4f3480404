import { lambdaContext, ShardHistory, testRouting } from '@ddb-os/testing';
import type { DynamoDBRecord } from 'aws-lambda';
import { loadIndexingConfig } from '../../src/config';
import type { DeadLetterSender } from '../../src/dead-letter';
import { recordingLogger, silentLogger, type LoggerPort } from '@ddb-os/lambda-runtime';
import { fakeDeadLetter, outcomesFor } from '../helpers/factories';
import type { WriteOutcome } from '@ddb-os/index-writer';
import type { IndexingDependencies, IndexPort } from '../../src/index-records';
import { handleQueueBatch, parseQueueBody, type QueueMessage } from '../../src/queue-batch-handler';

const config = loadIndexingConfig(testRouting({ routes: [{ index: 'things', match: { always: true } }] }), {
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq',
});

function scriptedIndex(outcomes: Record<string, WriteOutcome>): IndexPort & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    write: async (writes) =>
      outcomesFor(writes, (write) => {
        written.push(String(write.change.keys['pk']));
        return outcomes[String(write.change.keys['pk'])] ?? { status: 'applied' };
      }),
  };
}

const deadLetter = (accepts: boolean) => fakeDeadLetter(accepts);

const deps = (index: IndexPort, sender: DeadLetterSender, logger: LoggerPort = silentLogger): IndexingDependencies => ({
  config,
  index,
  deadLetter: sender,
  logger,
});

const message = (messageId: string, record: DynamoDBRecord | string): QueueMessage => ({
  messageId,
  body: typeof record === 'string' ? record : JSON.stringify(record),
});

describe('handleQueueBatch', () => {
  it('indexes every message body and reports nothing when all writes land', async () => {
    // given
    const shard = new ShardHistory();
    const index = scriptedIndex({});
    const messages = [message('m1', shard.put({ pk: 'a', sk: '1' })), message('m2', shard.put({ pk: 'b', sk: '1' }))];
    // when
    const response = await handleQueueBatch({ Records: messages }, lambdaContext(), deps(index, deadLetter(true)));
    // then
    expect(response.batchItemFailures).toEqual([]);
    expect(index.written.sort()).toEqual(['a', 'b']);
  });

  it('reports the message id of every message whose document failed, including coalesced ones', async () => {
    // given: b has two messages, its write fails; a succeeds
    const shard = new ShardHistory();
    const messages = [
      message('b1', shard.put({ pk: 'b', sk: '1', v: 1 })),
      message('a1', shard.put({ pk: 'a', sk: '1' })),
      message('b2', shard.put({ pk: 'b', sk: '1', v: 2 })),
    ];
    // when
    const response = await handleQueueBatch(
      { Records: messages },
      lambdaContext(),
      deps(scriptedIndex({ b: { status: 'retryable', reason: '503' } }), deadLetter(true)),
    );
    // then
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['b1', 'b2']);
  });

  it('dead-letters a body that is not JSON, verbatim and with the reason, and indexes its neighbours', async () => {
    // given
    const shard = new ShardHistory();
    const sender = deadLetter(true);
    const index = scriptedIndex({});
    // when
    const response = await handleQueueBatch(
      { Records: [message('bad', '{not json'), message('ok', shard.put({ pk: 'a', sk: '1' }))] },
      lambdaContext(),
      deps(index, sender),
    );
    // then
    expect(response.batchItemFailures).toEqual([]);
    expect(index.written).toEqual(['a']);
    expect(sender.sent).toEqual([
      expect.objectContaining({
        kind: 'poison-record',
        reason: expect.stringMatching(/malformed buffer message bad: message body is not JSON/),
        record: '{not json',
      }),
    ]);
  });

  it('dead-letters a JSON body that is not a stream record through the core path, naming the problem', async () => {
    // given
    const sender = deadLetter(true);
    // when
    const response = await handleQueueBatch(
      { Records: [message('m', JSON.stringify({ eventName: 'UPSERT' }))] },
      lambdaContext(),
      deps(scriptedIndex({}), sender),
    );
    // then
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('malformed stream record'), record: { eventName: 'UPSERT' } }),
    ]);
  });

  it('reports unreadable and poison messages for redelivery when the dead-letter queue refuses them', async () => {
    // given
    const shard = new ShardHistory();
    const messages = [message('bad', '[]'), message('poison', shard.put({ pk: 'p', sk: '1' }))];
    // when
    const response = await handleQueueBatch(
      { Records: messages },
      lambdaContext(),
      deps(scriptedIndex({ p: { status: 'poison', reason: 'mapper_parsing_exception' } }), deadLetter(false)),
    );
    // then: never dropped
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['bad', 'poison']);
  });
});

describe('handleQueueBatch logs what it does not index', () => {
  it("logs an unreadable message at warn when dead-lettered, and at error with the queue's error when the DLQ refuses it", async () => {
    // given
    const accepted = recordingLogger();
    const refused = recordingLogger();
    // when
    await handleQueueBatch(
      { Records: [message('bad', '{not json')] },
      lambdaContext(),
      deps(scriptedIndex({}), deadLetter(true), accepted),
    );
    await handleQueueBatch(
      { Records: [message('bad', '{not json')] },
      lambdaContext(),
      deps(scriptedIndex({}), deadLetter(false), refused),
    );
    // then
    expect(accepted.lines).toContainEqual({
      level: 'warn',
      message: 'record dead-lettered',
      fields: expect.objectContaining({ messageId: 'bad', reason: expect.stringContaining('not JSON') }),
    });
    expect(refused.lines).toContainEqual({
      level: 'error',
      message: expect.stringContaining('dead-letter queue refused'),
      fields: expect.objectContaining({ messageId: 'bad', deadLetterError: expect.stringContaining('QueueDoesNotExist') }),
    });
  });
});

describe('parseQueueBody', () => {
  it('unwraps an SNS notification envelope (subscription without raw message delivery)', () => {
    // given
    const record = { eventID: 'e1', eventName: 'INSERT' };
    // when
    const parsed = parseQueueBody(JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: JSON.stringify(record) }));
    // then
    expect(parsed).toEqual({ ok: true, record });
  });

  it('names a body that is JSON but not an object', () => {
    expect(parseQueueBody('"text"')).toEqual({ ok: false, reason: expect.stringContaining('not a JSON object') });
  });
});
