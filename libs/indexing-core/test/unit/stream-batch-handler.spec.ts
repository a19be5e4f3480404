import { loadIndexingConfig } from '../../src/config';
import type { DeadLetterSender } from '../../src/dead-letter';
import { recordingLogger, silentLogger, type LoggerPort } from '@ddb-os/lambda-runtime';
import { fakeDeadLetter, outcomesFor } from '../helpers/factories';
import type { WriteOutcome } from '@ddb-os/index-writer';
import type { IndexingDependencies, IndexPort } from '../../src/index-records';
import { handleStreamBatch } from '../../src/stream-batch-handler';
import { earliestFailure } from '../../src/stream-batch-response';
import { IndexingDefectError, UnreportableFailureError } from '../../src/errors';
import { lambdaContext, lambdaEvent, ShardHistory, testRouting } from '@ddb-os/testing';

const config = loadIndexingConfig(testRouting({ routes: [{ index: 'things', match: { always: true } }] }), {
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq',
});

/** Answers each document with the outcome the test scripted for its `pk`. */
function scriptedIndex(outcomes: Record<string, WriteOutcome>): IndexPort {
  return {
    write: async (writes) => outcomesFor(writes, (write) => outcomes[String(write.change.keys['pk'])] ?? { status: 'applied' }),
  };
}

const deadLetter = (accepts: boolean) => fakeDeadLetter(accepts);

function deps(
  index: IndexPort,
  sender: DeadLetterSender,
  logger: LoggerPort = silentLogger,
  overrides: Partial<IndexingDependencies['config']> = {},
): IndexingDependencies {
  return { config: { ...config, ...overrides }, index, deadLetter: sender, logger };
}

describe('handleStreamBatch', () => {
  it('reports the earliest record of the earliest failed document, counting coalesced records', async () => {
    // given: b's first record comes before a's only record, and b's write fails
    const shard = new ShardHistory();
    const bFirst = shard.put({ pk: 'b', sk: '1', v: 1 });
    shard.put({ pk: 'a', sk: '1', v: 1 });
    shard.put({ pk: 'b', sk: '1', v: 2 });
    // when
    const response = await handleStreamBatch(
      lambdaEvent(shard.records),
      lambdaContext(),
      deps(scriptedIndex({ b: { status: 'retryable', reason: '503' } }), deadLetter(true)),
    );
    // then
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bFirst.dynamodb?.SequenceNumber }]);
  });

  it('dead-letters poison documents without blocking the shard', async () => {
    const shard = new ShardHistory();
    shard.put({ pk: 'a', sk: '1' });
    const poison = shard.put({ pk: 'p', sk: '1' });
    const sender = deadLetter(true);
    const response = await handleStreamBatch(
      lambdaEvent(shard.records),
      lambdaContext(),
      deps(scriptedIndex({ p: { status: 'poison', reason: 'mapper_parsing_exception' } }), sender),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent).toEqual([
      expect.objectContaining({ reason: 'mapper_parsing_exception', sequenceNumber: poison.dynamodb?.SequenceNumber, record: poison }),
    ]);
  });

  it('reports a poison record for redelivery when the dead-letter queue refuses it', async () => {
    // given
    const shard = new ShardHistory();
    const poison = shard.put({ pk: 'p', sk: '1' });
    // when
    const response = await handleStreamBatch(
      lambdaEvent(shard.records),
      lambdaContext(),
      deps(scriptedIndex({ p: { status: 'poison', reason: 'too large' } }), deadLetter(false)),
    );
    // then: never dropped
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb?.SequenceNumber }]);
  });

  it('dead-letters a malformed record with the reason and keeps indexing its neighbours', async () => {
    const shard = new ShardHistory();
    const good = shard.put({ pk: 'a', sk: '1' });
    const malformed = { ...good, eventName: 'UPSERT' };
    const sender = deadLetter(true);
    const response = await handleStreamBatch(
      lambdaEvent([malformed as typeof good, good]),
      lambdaContext(),
      deps(scriptedIndex({}), sender),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('malformed stream record'), record: malformed }),
    ]);
  });

  it('gives the poison message of a malformed record only a decimal sequence number, the one kind the failure handler accepts', async () => {
    // given: a record whose SequenceNumber is not a sequence number
    const good = new ShardHistory().put({ pk: 'a', sk: '1' });
    const malformed = { ...good, dynamodb: { ...good.dynamodb, SequenceNumber: 'not-a-number' } };
    const sender = deadLetter(true);
    // when
    await handleStreamBatch(lambdaEvent([malformed]), lambdaContext(), deps(scriptedIndex({}), sender));
    // then: dead-lettered whole, with no sequence number rather than one the archive would refuse
    expect(sender.sent).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('malformed stream record'), sequenceNumber: undefined, record: malformed }),
    ]);
  });

  it('fails the whole invocation when a record without a sequence number cannot be dead-lettered', async () => {
    // given: no SequenceNumber to report, and the DLQ is down
    const shard = new ShardHistory();
    const good = shard.put({ pk: 'a', sk: '1' });
    const unnumbered = { ...good, dynamodb: { ...good.dynamodb, SequenceNumber: undefined } };
    // when
    const logger = recordingLogger();
    const run = handleStreamBatch(lambdaEvent([unnumbered]), lambdaContext(), deps(scriptedIndex({}), deadLetter(false), logger));
    // then: Lambda retries the batch, then hands it to the on-failure destination
    await expect(run).rejects.toThrow(UnreportableFailureError);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('no readable SequenceNumber'),
        fields: { positions: [0] },
      }),
    );
  });

  it('delivers again a document the index port reported no outcome for', async () => {
    // given: the port answers for a but not for b
    const shard = new ShardHistory();
    shard.put({ pk: 'a', sk: '1' });
    const b = shard.put({ pk: 'b', sk: '1' });
    const partial: IndexPort = {
      write: async (writes) => outcomesFor(writes, (write) => (write.change.keys['pk'] === 'a' ? { status: 'applied' } : undefined)),
    };
    // when
    const response = await handleStreamBatch(lambdaEvent(shard.records), lambdaContext(), deps(partial, deadLetter(true)));
    // then
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: b.dynamodb?.SequenceNumber }]);
  });

  it('writes the documents of every index in one call of the port, and reads each outcome by index and id', async () => {
    // given documents for two indexes, the review's write failing
    const twoIndexes = loadIndexingConfig(
      testRouting({
        routes: [
          { index: 'reviews', match: { attribute: 'kind', equals: 'review' } },
          { index: 'things', match: { always: true } },
        ],
      }),
      {
        OPENSEARCH_NODE: 'http://127.0.0.1:9200',
        DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq',
      },
    );
    const shard = new ShardHistory();
    shard.put({ pk: 'a', sk: '1', kind: 'thing' });
    const review = shard.put({ pk: 'b', sk: '1', kind: 'review' });
    shard.put({ pk: 'c', sk: '1', kind: 'thing' });
    const calls: string[][] = [];
    const index: IndexPort = {
      write: async (writes) => {
        calls.push(writes.map((write) => `${write.index}/${String(write.change.keys['pk'])}`));
        return outcomesFor(writes, (write) =>
          write.index === 'reviews' ? { status: 'retryable', reason: 'injected' } : { status: 'applied' },
        );
      },
    };
    // when
    const response = await handleStreamBatch(lambdaEvent(shard.records), lambdaContext(), {
      config: twoIndexes,
      index,
      deadLetter: deadLetter(true),
      logger: silentLogger,
    });
    // then one call held the whole batch, and only the review is redelivered
    expect(calls).toEqual([['things/a', 'reviews/b', 'things/c']]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: review.dynamodb?.SequenceNumber }]);
  });

  it('treats a thrown index error as retryable for every document of that index', async () => {
    const shard = new ShardHistory();
    const first = shard.put({ pk: 'a', sk: '1' });
    shard.put({ pk: 'b', sk: '1' });
    const failing: IndexPort = {
      write: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    const response = await handleStreamBatch(lambdaEvent(shard.records), lambdaContext(), deps(failing, deadLetter(true)));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: first.dynamodb?.SequenceNumber }]);
  });
});

describe('handleStreamBatch logs every record it does not index', () => {
  it('logs documents that will be delivered again at warn, with the reason and every sequence number', async () => {
    // given
    const shard = new ShardHistory();
    const first = shard.put({ pk: 'b', sk: '1', v: 1 });
    const second = shard.put({ pk: 'b', sk: '1', v: 2 });
    const logger = recordingLogger();
    // when
    await handleStreamBatch(
      lambdaEvent(shard.records),
      lambdaContext(),
      deps(scriptedIndex({ b: { status: 'retryable', reason: '503 cluster_block_exception' } }), deadLetter(true), logger),
    );
    // then
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({
          index: 'things',
          reason: '503 cluster_block_exception',
          sequenceNumbers: [first.dynamodb?.SequenceNumber, second.dynamodb?.SequenceNumber],
        }),
      }),
    ]);
  });

  it('logs each dead-lettered record at warn with its reason and sequence number', async () => {
    const shard = new ShardHistory();
    const poison = shard.put({ pk: 'p', sk: '1' });
    const logger = recordingLogger();
    await handleStreamBatch(
      lambdaEvent(shard.records),
      lambdaContext(),
      deps(scriptedIndex({ p: { status: 'poison', reason: 'mapper_parsing_exception' } }), deadLetter(true), logger),
    );
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'record dead-lettered',
      fields: expect.objectContaining({ reason: 'mapper_parsing_exception', sequenceNumber: poison.dynamodb?.SequenceNumber }),
    });
  });

  it("logs a refusal of the dead-letter queue at error with the queue's error, and reports the record", async () => {
    // given: the DLQ does not exist
    const shard = new ShardHistory();
    const poison = shard.put({ pk: 'p', sk: '1' });
    const logger = recordingLogger();
    // when
    const response = await handleStreamBatch(
      lambdaEvent(shard.records),
      lambdaContext(),
      deps(scriptedIndex({ p: { status: 'poison', reason: 'too large' } }), deadLetter(false), logger),
    );
    // then
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb?.SequenceNumber }]);
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: expect.stringContaining('dead-letter queue refused'),
      fields: expect.objectContaining({
        deadLetterError: expect.stringContaining('QueueDoesNotExist'),
        reason: 'too large',
        sequenceNumber: poison.dynamodb?.SequenceNumber,
      }),
    });
  });

  it('logs a thrown I/O error of the index port at warn and reports the documents for redelivery', async () => {
    const shard = new ShardHistory();
    const first = shard.put({ pk: 'a', sk: '1' });
    const logger = recordingLogger();
    const failing: IndexPort = {
      write: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
      },
    };
    const response = await handleStreamBatch(lambdaEvent(shard.records), lambdaContext(), deps(failing, deadLetter(true), logger));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: first.dynamodb?.SequenceNumber }]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({
          reason: expect.stringContaining('ECONNREFUSED'),
          sequenceNumbers: [first.dynamodb?.SequenceNumber],
        }),
      }),
    );
  });

  it('fails the invocation on a defect in our code instead of reporting every document as retryable, and logs it at error', async () => {
    // given: the index port hits a bug
    const shard = new ShardHistory();
    shard.put({ pk: 'a', sk: '1' });
    const logger = recordingLogger();
    const buggy: IndexPort = {
      write: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      },
    };
    // when
    const run = handleStreamBatch(lambdaEvent(shard.records), lambdaContext(), deps(buggy, deadLetter(true), logger));
    // then
    await expect(run).rejects.toThrow(IndexingDefectError);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining("TypeError: Cannot read properties of undefined (reading 'id')"),
      }),
    );
  });

  it("dead-letters records whose Keys do not match the sync's key attributes, never merges them, and says so at error once", async () => {
    // given: a pk,sk table, the sync's key attributes [pk]
    const shard = new ShardHistory();
    const records = ['profile', 'order#1', 'order#2'].map((sk) => shard.put({ pk: 'user#1', sk }));
    const index = {
      written: 0,
      write: async (writes: Parameters<IndexPort['write']>[0]) => (
        (index.written += writes.length),
        outcomesFor(writes, () => ({ status: 'applied' }))
      ),
    };
    const sender = deadLetter(true);
    const logger = recordingLogger();
    // when
    const response = await handleStreamBatch(lambdaEvent(records), lambdaContext(), deps(index, sender, logger, { keyAttributes: ['pk'] }));
    // then
    expect(response.batchItemFailures).toEqual([]);
    expect(index.written).toBe(0);
    expect(sender.sent.map((message) => [message.sequenceNumber, message.reason])).toEqual(
      records.map((record) => [
        record.dynamodb?.SequenceNumber,
        "stream record Keys has pk, sk but the sync's key attributes are pk: the table's key is pk, sk (partition key first); declare it in the sync definition (table.create), or set TABLE_NAME to the table of this stream",
      ]),
    );
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("the sync's key attributes do not match"),
        fields: expect.objectContaining({ recordKeys: ['pk', 'sk'], keyAttributes: ['pk'], records: 3 }),
      }),
    ]);
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
