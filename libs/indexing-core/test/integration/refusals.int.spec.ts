import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { toLambdaRecord } from '@ddb-os/stream-decoding';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  lambdaContext,
  lambdaEvent,
  openSearchClient,
  ShardHistory,
  sqsClient,
  stackEndpoints,
  streamsClient,
  testRouting,
  uniqueName,
  waitFor,
  type TestSyncOptions,
} from '@ddb-os/testing';
import type { DynamoDBRecord } from 'aws-lambda';
import { loadIndexingConfig } from '../../src/config';
import { createDeadLetterSender, type PoisonRecordMessage } from '../../src/dead-letter';
import type { IndexingDependencies } from '../../src/index-records';
import { recordingLogger } from '@ddb-os/lambda-runtime';
import { createOpenSearchIndex } from '../../src/opensearch-index';
import { handleStreamBatch } from '../../src/stream-batch-handler';

jest.setTimeout(60_000);

const SQS_MESSAGE_LIMIT = 256 * 1024;

/**
 * The indexer of a sync with one catch-all index (over a pk,sk table unless `sync` says otherwise) against the real
 * local OpenSearch and ElasticMQ, with a recording logger.
 */
function indexer(
  index: string,
  dlqUrl: string,
  sync: Omit<TestSyncOptions, 'routes'> = {},
): IndexingDependencies & { logger: ReturnType<typeof recordingLogger> } {
  const config = loadIndexingConfig(testRouting({ routes: [{ index, match: { always: true } }], ...sync }), {
    OPENSEARCH_NODE: stackEndpoints().opensearch,
    DLQ_URL: dlqUrl,
    RETRY_BASE_DELAY_MS: '20',
    RETRY_MAX_DELAY_MS: '200',
    METRICS_ENABLED: 'false',
  });
  const openSearch = openSearchClient();
  return {
    config,
    index: createOpenSearchIndex(openSearch, config),
    deadLetter: createDeadLetterSender(async () => sqsClient(), config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    logger: recordingLogger(),
  };
}

describe('the indexer refuses loudly and never fails good records with bad ones (real OpenSearch, ElasticMQ, moto)', () => {
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const indexes: string[] = [];
  let dlqUrl: string;

  beforeEach(async () => {
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('core-dlq') }))).QueueUrl ?? '';
  });

  afterEach(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
  });

  afterAll(async () => {
    if (indexes.length > 0)
      await openSearch.indices.delete({ index: indexes.map((index) => `${index}-*`).join(','), ignore_unavailable: true });
    await openSearch.close();
    sqs.destroy();
  });

  const newIndex = (prefix: string): string => {
    const index = uniqueName(prefix);
    indexes.push(index);
    return index;
  };

  async function deadLetters(count: number): Promise<{ bytes: number; message: PoisonRecordMessage }[]> {
    const received: { bytes: number; message: PoisonRecordMessage }[] = [];
    await waitFor(
      async () => {
        const batch = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const { Body = '' } of batch.Messages ?? [])
          received.push({ bytes: Buffer.byteLength(Body), message: JSON.parse(Body) as PoisonRecordMessage });
        return received.length >= count;
      },
      { timeoutMs: 15_000, description: `${count} dead-letter messages` },
    );
    return received;
  }

  async function documents(index: string): Promise<Record<string, unknown>[]> {
    const exists = await openSearch.indices.exists({ index });
    if (!exists.body) return [];
    await openSearch.indices.refresh({ index });
    const response = await openSearch.search({
      index,
      body: { query: { match_all: {} }, size: 100, sort: [{ 'ddbSync.sequenceNumber': 'asc' }] },
    });
    return response.body.hits.hits.map((hit) => hit._source as Record<string, unknown>);
  }

  describe('a definition declaring a shorter key than the table has', () => {
    const dynamo = dynamoClient();
    const table = uniqueName('core-keys');
    let records: DynamoDBRecord[];

    beforeAll(async () => {
      // given: three items of one partition in a real pk,sk table, read back from its real stream
      const streamArn = await createStreamTable(dynamo, table, { pk: 'pk', sk: 'sk' });
      for (const sk of ['profile', 'order#1', 'order#2']) {
        await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall({ pk: 'user#1', sk, label: `item ${sk}` }) }));
      }
      records = await readStream(streamArn, 3);
    });

    afterAll(async () => {
      await deleteTable(dynamo, table);
      dynamo.destroy();
    });

    it('dead-letters each record with the reason and merges nothing, with one error line', async () => {
      // given
      const index = newIndex('core-keys');
      const deps = indexer(index, dlqUrl, { keyAttributes: ['pk'] });
      // when
      const response = await handleStreamBatch(lambdaEvent(records), lambdaContext(), deps);
      // then: the shard moves on, nothing is indexed, every record is parked with the reason
      expect(response.batchItemFailures).toEqual([]);
      expect(await documents(index)).toEqual([]);
      const parked = await deadLetters(3);
      expect(parked.map(({ message }) => [message.sequenceNumber, message.reason]).sort()).toEqual(
        records
          .map((record) => [
            record.dynamodb?.SequenceNumber,
            "stream record Keys has pk, sk but the sync's key attributes are pk: the table's key is pk, sk (partition key first); declare it in the sync definition (table.create), or set TABLE_NAME to the table of this stream",
          ])
          .sort(),
      );
      expect(deps.logger.lines.filter((line) => line.level === 'error')).toEqual([
        expect.objectContaining({ message: expect.stringContaining("the sync's key attributes do not match") }),
      ]);
    });

    it('indexes the same records as three documents once the definition declares the whole key', async () => {
      const index = newIndex('core-keys-ok');
      const response = await handleStreamBatch(
        lambdaEvent(records),
        lambdaContext(),
        indexer(index, dlqUrl, { keyAttributes: ['pk', 'sk'] }),
      );
      expect(response.batchItemFailures).toEqual([]);
      expect((await documents(index)).map((doc) => doc['sk'])).toEqual(['profile', 'order#1', 'order#2']);
    });
  });

  it('in version mode, dead-letters the records without a valid version alone and indexes the others', async () => {
    // given: four items, one without `ver`, one with ver=-1
    const index = newIndex('core-version');
    const shard = new ShardHistory();
    const good1 = shard.put({ pk: 'v#1', sk: 'x', ver: 1 });
    const missing = shard.put({ pk: 'v#2', sk: 'x' });
    const negative = shard.put({ pk: 'v#3', sk: 'x', ver: -1 });
    const good2 = shard.put({ pk: 'v#4', sk: 'x', ver: 3 });
    const deps = indexer(index, dlqUrl, { versionAttribute: 'ver' });
    // when
    const response = await handleStreamBatch(lambdaEvent(shard.records), lambdaContext(), deps);
    // then
    expect(response.batchItemFailures).toEqual([]);
    expect((await documents(index)).map((doc) => [doc['pk'], doc['ver']])).toEqual([
      ['v#1', 1],
      ['v#4', 3],
    ]);
    const parked = (await deadLetters(2)).map(({ message }) => message);
    expect(parked.sort((a, b) => String(a.sequenceNumber).localeCompare(String(b.sequenceNumber)))).toEqual([
      expect.objectContaining({
        sequenceNumber: missing.dynamodb?.SequenceNumber,
        reason: expect.stringMatching(/"newImage\.ver" must be a non-negative integer.*got nothing/),
      }),
      expect.objectContaining({
        sequenceNumber: negative.dynamodb?.SequenceNumber,
        reason: expect.stringMatching(/"newImage\.ver" must be a non-negative integer.*got -1/),
      }),
    ]);
    expect([good1, good2].map((record) => record.dynamodb?.SequenceNumber)).not.toContain(parked[0]?.sequenceNumber);
  });

  it("parks a 350 KB string refused by a long field within the queue's limit, keeping keys, sequence number and a truncated reason", async () => {
    // given: the index learns `size` as a long, then an item sends 350 KB of text for it
    const index = newIndex('core-large');
    const deps = indexer(index, dlqUrl);
    const shard = new ShardHistory();
    await handleStreamBatch(lambdaEvent([shard.put({ pk: 'm#1', sk: 'x', size: 5 })]), lambdaContext(), deps);
    const large = shard.put({ pk: 'm#2', sk: 'x', size: 'z'.repeat(350 * 1024) });
    // when
    const response = await handleStreamBatch(lambdaEvent([large]), lambdaContext(), deps);
    // then
    expect(response.batchItemFailures).toEqual([]);
    const [parked] = await deadLetters(1);
    expect(parked?.bytes).toBeLessThanOrEqual(SQS_MESSAGE_LIMIT);
    expect(parked?.message).toMatchObject({
      sequenceNumber: large.dynamodb?.SequenceNumber,
      table: 'demo-items',
      streamArn: large.eventSourceARN,
      truncated: true,
      reason: expect.stringMatching(
        /^400 mapper_parsing_exception: failed to parse field \[size\] of type \[long\][\s\S]* … \[reason truncated: \d+ characters in all\]$/,
      ),
      record: { dynamodb: { Keys: large.dynamodb?.Keys, SequenceNumber: large.dynamodb?.SequenceNumber } },
    });
  });

  it('reports a poison record for redelivery and logs the queue error at error when the dead-letter queue does not exist', async () => {
    // given: DLQ_URL names a queue that is not there, and OpenSearch refuses one document
    const index = newIndex('core-no-dlq');
    const deps = indexer(index, `${stackEndpoints().sqs}/000000000000/${uniqueName('missing-dlq')}`);
    const shard = new ShardHistory();
    await handleStreamBatch(lambdaEvent([shard.put({ pk: 'n#1', sk: 'x', size: 5 })]), lambdaContext(), deps);
    const poison = shard.put({ pk: 'n#2', sk: 'x', size: 'enormous' });
    // when
    const response = await handleStreamBatch(lambdaEvent([poison]), lambdaContext(), deps);
    // then
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb?.SequenceNumber }]);
    expect(deps.logger.lines).toContainEqual({
      level: 'error',
      message: expect.stringContaining('dead-letter queue refused'),
      fields: expect.objectContaining({
        sequenceNumber: poison.dynamodb?.SequenceNumber,
        deadLetterError: expect.stringContaining('QueueDoesNotExist'),
        reason: expect.stringContaining('mapper_parsing_exception'),
      }),
    });
  });
});

/** Reads `count` records of the table's stream from its first shard, in the shape Lambda delivers them. */
async function readStream(streamArn: string, count: number): Promise<DynamoDBRecord[]> {
  const streams = streamsClient();
  try {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = description.StreamDescription?.Shards?.[0]?.ShardId;
    let iterator = (
      await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    const records: DynamoDBRecord[] = [];
    await waitFor(
      async () => {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = page.NextShardIterator;
        records.push(...(page.Records ?? []).map((record) => toLambdaRecord(record, { streamArn, awsRegion: stackEndpoints().region })));
        return records.length >= count;
      },
      { timeoutMs: 15_000, description: `${count} stream records` },
    );
    return records;
  } finally {
    streams.destroy();
  }
}
