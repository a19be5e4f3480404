import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { createQueueBatchHandler } from '@ddb-os/indexing-core';
import { documentId } from '@ddb-os/opensearch-mapping';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { loadHandler, silentLogger, StreamRunner, type StreamHandler } from '@ddb-os/stream-runner';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  openSearchClient,
  s3Client,
  sqsClient,
  stackEndpoints,
  uniqueName,
  waitFor,
} from '@ddb-os/testing';
import type { DynamoDBRecord, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { bufferedProductSyncs, productItem, seededRandom, sqsEvent } from '../helpers/factories';
import { QueuePoller, type QueueHandler } from '../helpers/queue-poller';
import { createBufferQueues, deleteBufferQueues, liveDocuments, receiveJson, type BufferQueues } from '../helpers/stack';

jest.setTimeout(180_000);

const WORKSPACE = path.resolve(__dirname, '../../../..');
const KEY_ATTRIBUTES = ['pk', 'sk'];
const SEED = Number(process.env['PROPERTY_SEED'] ?? Date.now() % 2_147_483_647);

describe('buffered mode: stream reader → SQS FIFO → OpenSearch writer, on the local stack', () => {
  const dynamo = dynamoClient();
  const sqs = sqsClient();
  const s3 = s3Client();
  const openSearch = openSearchClient();
  const savedEnvironment = { ...process.env };
  const table = uniqueName('buffered');
  const products = `${table}-products`;
  const bucket = uniqueName('buffered-archive');
  /** Every stream record the reader was given, in stream order. */
  const seenRecords: DynamoDBRecord[] = [];
  let queues: BufferQueues;
  let reader: StreamHandler & { reset?: () => void };
  let writer: QueueHandler & { reset: () => void };
  let runner: StreamRunner;
  let poller: QueuePoller;

  beforeAll(async () => {
    await createStreamTable(dynamo, table);
    queues = await createBufferQueues(sqs, 'buffered');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const endpoints = stackEndpoints();
    Object.assign(process.env, {
      OPENSEARCH_NODE: endpoints.opensearch,
      BUFFER_QUEUE_URL: queues.bufferUrl,
      DLQ_URL: queues.poisonUrl,
      SQS_ENDPOINT: endpoints.sqs,
      AWS_REGION: endpoints.region,
      AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
      RETRY_BASE_DELAY_MS: '20',
      RETRY_MAX_DELAY_MS: '200',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ARCHIVE_BUCKET: bucket,
      S3_ENDPOINT: endpoints.s3,
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
    });
    reader = loadHandler('apps/stream-reader/src/main.ts#handler', { cwd: WORKSPACE });
    reader.reset?.();
    // Loaded after the environment is set, so its logger sees POWERTOOLS_LOG_LEVEL.
    // The writer's handler as apps/opensearch-writer/src/main.ts builds it, for a sync with this test's own index.
    writer = createQueueBatchHandler(bufferedProductSyncs(products)) as unknown as QueueHandler & { reset: () => void };
    writer.reset();
    const random = seededRandom(SEED);
    runner = new StreamRunner({
      // A stream batch is sometimes delivered twice, as Lambda does after a retry: FIFO deduplication drops the copy.
      handler: async (event, context) => {
        seenRecords.push(...event.Records);
        const response = await reader(event, context);
        if (random() < 0.3) await reader(event, context);
        return response;
      },
      tableName: table,
      startPosition: 'TRIM_HORIZON',
      checkpointFile: path.join(await mkdtemp(path.join(tmpdir(), 'buffered-')), 'checkpoints.json'),
      logger: silentLogger,
      pollIntervalMs: 50,
      idlePollMaxMs: 250,
      describeIntervalMs: 2_000,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 500,
    });
    await runner.start();
    poller = new QueuePoller({
      sqs,
      queueUrl: queues.bufferUrl,
      queueArn: queues.bufferArn,
      handler: writer,
      maxReceiveCount: 5,
      redriveQueueUrl: queues.redriveUrl,
      retryDelaySeconds: 1,
    });
    poller.start();
  });

  afterAll(async () => {
    await poller?.stop();
    await runner?.stop();
    reader?.reset?.();
    writer?.reset();
    process.env = savedEnvironment;
    await deleteTable(dynamo, table);
    await deleteBufferQueues(sqs, queues);
    await openSearch.indices.delete({ index: `${products}-*`, ignore_unavailable: true });
    dynamo.destroy();
    sqs.destroy();
    s3.destroy();
    await openSearch.close();
  });

  const put = (item: JsonObject) => dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
  /** Deletes an item; true when there was one (only then does the stream get a record). */
  const remove = async (productId: string): Promise<boolean> => {
    const deleted = await dynamo.send(
      new DeleteItemCommand({ TableName: table, Key: marshall({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }), ReturnValues: 'ALL_OLD' }),
    );
    return deleted.Attributes !== undefined;
  };
  const idOf = (productId: string) => documentId({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }, KEY_ATTRIBUTES);
  const projection = (item: JsonObject | undefined) =>
    item === undefined ? undefined : { productId: item['productId'], name: item['name'], price: item['price'], inStock: item['inStock'] };

  it('brings inserts, updates and deletes written to the table into OpenSearch', async () => {
    // given / when
    await put(productItem('a1'));
    await put(productItem('a2'));
    await put(productItem('a1', { price: 30, name: 'Lamp a1 v2' }));
    await remove('a2');
    await put(productItem('a3', { inStock: false }));

    // then
    const expected = {
      [idOf('a1')]: projection(productItem('a1', { price: 30, name: 'Lamp a1 v2' })),
      [idOf('a3')]: projection(productItem('a3', { inStock: false })),
    };
    const documents = await waitFor(
      async () => {
        const live = await liveDocuments(openSearch, products);
        const current = Object.fromEntries(
          [idOf('a1'), idOf('a2'), idOf('a3')].filter((id) => live.has(id)).map((id) => [id, projection(live.get(id))]),
        );
        return JSON.stringify(current) === JSON.stringify(expected) ? current : false;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'the changes to reach OpenSearch through the buffer' },
    );
    expect(documents).toEqual(expected);
  });

  it('parks an item that fails the index schema in the DLQ with its full record, and the failure handler archives it', async () => {
    // given / when: price must be a number
    await put(productItem('poison', { price: 'free' }));

    // then: the poison-record message carries the whole stream record
    const [message] = await waitFor(
      async () => {
        const messages = await receiveJson(sqs, queues.poisonUrl);
        return messages.length > 0 ? messages : false;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'the poison record in the DLQ' },
    );
    expect(message).toMatchObject({
      kind: 'poison-record',
      reason: expect.stringMatching(new RegExp(`schema of index "${products}".*price`)),
      table,
      record: { eventName: 'INSERT', dynamodb: { NewImage: { productId: { S: 'poison' }, price: { S: 'free' } } } },
    });

    // when: the failure handler consumes that DLQ message
    const failureHandler = loadHandler('apps/failure-handler/src/main.ts#handler', { cwd: WORKSPACE }) as unknown as (
      event: SQSEvent,
    ) => Promise<SQSBatchResponse>;
    const body = JSON.stringify(message);
    const archived = await failureHandler(sqsEvent([body], queues.poisonUrl.split('/').pop()));

    // then: the archive holds the record and the reason
    expect(archived.batchItemFailures).toEqual([]);
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(objects.Contents).toHaveLength(1);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: objects.Contents?.[0]?.Key ?? '' }));
    const archive = (await object.Body?.transformToString()) ?? '';
    expect(archive).toContain(String((message?.['record'] as { dynamodb: { SequenceNumber: string } }).dynamodb.SequenceNumber));
    expect(archive).toContain('free');
    expect(poller.stats.redriven).toBe(0);
  });

  it('converges to the table for a random history with duplicated and late re-delivered messages (compares every key)', async () => {
    // given: a random put/update/delete history over a few keys
    process.stdout.write(`buffered convergence: seed ${SEED} (replay with PROPERTY_SEED=${SEED})\n`);
    const random = seededRandom(SEED);
    const keys = ['c0', 'c1', 'c2', 'c3'];
    const firstNewRecord = seenRecords.length;
    const deliveredBefore = poller.stats.deleted;
    let changes = 0;
    for (let step = 0; step < 40; step += 1) {
      const productId = keys[Math.floor(random() * keys.length)] ?? 'c0';
      const dice = random();
      const price = Math.floor(random() * 1_000);
      if (dice < 0.45) {
        await put(productItem(productId, { price, name: `Lamp ${productId} #${step}` }));
        changes += 1;
      } else if (dice < 0.75) changes += (await updatePrice(productId, price)) ? 1 : 0;
      else if (await remove(productId)) changes += 1;
    }
    await waitFor(() => new Set(seenRecords.slice(firstNewRecord).map((record) => record.eventID)).size >= changes, {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'the reader to see the whole history',
    });

    // when: old records arrive again past the FIFO deduplication window, out of order, in other groups
    const history = seenRecords.slice(firstNewRecord);
    const late = [...history].sort(() => random() - 0.5).slice(0, 15);
    for (const [n, record] of late.entries()) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queues.bufferUrl,
          MessageBody: JSON.stringify(record),
          MessageGroupId: `late-${n % 3}`,
          MessageDeduplicationId: `late-${n}-${record.eventID}`,
        }),
      );
    }

    // then: every key's document equals the table's item (or is absent with it)
    const expectedOf = async () =>
      Object.fromEntries(await Promise.all(keys.map(async (productId) => [productId, projection(await readItem(productId))] as const)));
    const converged = await waitFor(
      async () => {
        const expected = await expectedOf();
        const live = await liveDocuments(openSearch, products);
        const actual = Object.fromEntries(keys.map((productId) => [productId, projection(live.get(idOf(productId)))]));
        // Duplicated stream batches were dropped by FIFO deduplication: one message per change, plus the late ones.
        const allDelivered = poller.stats.deleted - deliveredBefore >= changes + late.length;
        return allDelivered && JSON.stringify(actual) === JSON.stringify(expected) ? { expected, actual } : false;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, description: 'every key to converge to the table' },
    );
    expect(converged.actual).toEqual(converged.expected);
    expect(poller.stats.deleted - deliveredBefore).toBe(changes + late.length);
    expect(poller.stats.redriven).toBe(0);
    expect(poller.errors).toEqual([]);
  });

  /** Updates an existing item; false when there was none. */
  async function updatePrice(productId: string, price: number): Promise<boolean> {
    try {
      await dynamo.send(
        new UpdateItemCommand({
          TableName: table,
          Key: marshall({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }),
          UpdateExpression: 'SET price = :price, updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: marshall({ ':price': price, ':at': new Date().toISOString() }),
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  async function readItem(productId: string): Promise<JsonObject | undefined> {
    const result = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: marshall({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }), ConsistentRead: true }),
    );
    return result.Item ? (unmarshall(result.Item) as JsonObject) : undefined;
  }
});
