import path from 'node:path';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { silentLogger, StreamRunner, type StreamHandler } from '@ddb-os/stream-runner';
import { dynamoClient, openSearchClient, sqsClient, stackEndpoints, uniqueName } from '@ddb-os/testing';
import { catalogItems, productItem, indexerFor, syncEnvironment, syncTarget, tempDir } from '../helpers/factories';
import { backfill, scanBackfillOptions, verify, type TestClients } from '../helpers/run';
import { createTestStack, destroyTestStack, putItems, type TestStack } from '../helpers/stack';

jest.setTimeout(120_000);

const ITEMS = 1_000;
/** Product numbers the writer touches: existing ones and some it creates. */
const WRITER_RANGE = 1_150;

/** Keeps changing random products (update, delete, create/replace) until stopped. */
function startWriter(dynamo: DynamoDBClient, table: string): { stop: () => Promise<{ operations: number; deletes: number }> } {
  let running = true;
  const tally = { operations: 0, deletes: 0 };
  const loop = (async (): Promise<void> => {
    while (running) {
      const n = Math.floor(Math.random() * WRITER_RANGE);
      const key = marshall({ pk: `PRODUCT#p${n}`, sk: 'PRODUCT' });
      const dice = Math.random();
      try {
        if (dice < 0.5) {
          await dynamo.send(
            new UpdateItemCommand({
              TableName: table,
              Key: key,
              UpdateExpression: 'SET price = :price, #name = :name, updatedAt = :at',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#name': 'name' },
              ExpressionAttributeValues: marshall({
                ':price': tally.operations % 997,
                ':name': `Lamp ${n} v${tally.operations}`,
                ':at': new Date().toISOString(),
              }),
            }),
          );
        } else if (dice < 0.75) {
          await dynamo.send(new DeleteItemCommand({ TableName: table, Key: key }));
          tally.deletes += 1;
        } else {
          await dynamo.send(
            new PutItemCommand({ TableName: table, Item: marshall(productItem(n, { name: `Lamp ${n} new ${tally.operations}` })) }),
          );
        }
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      tally.operations += 1;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return tally;
    },
  };
}

describe('a backfill running while the table changes and the stream indexer runs', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const sqs = sqsClient();
  const savedEnvironment = { ...process.env };
  let stack: TestStack;
  let clients: TestClients;
  let queueUrl: string;
  let handler: StreamHandler & { reset?: () => void };
  let runner: StreamRunner | undefined;

  beforeAll(async () => {
    stack = await createTestStack(dynamo, 'bf-race');
    clients = { dynamo, openSearch, target: syncTarget(stack.routes) };
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('bf-race-dlq') }))).QueueUrl ?? '';
    const endpoints = stackEndpoints();
    Object.assign(process.env, syncEnvironment(), {
      DLQ_URL: queueUrl,
      SQS_ENDPOINT: endpoints.sqs,
      AWS_REGION: endpoints.region,
      AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    handler = indexerFor(stack.routes);
    handler.reset?.();
  });

  afterAll(async () => {
    await runner?.stop();
    handler.reset?.();
    process.env = savedEnvironment;
    await destroyTestStack(dynamo, openSearch, stack);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    dynamo.destroy();
    sqs.destroy();
    await openSearch.close();
  });

  it('never overwrites a newer change nor resurrects a delete: verify finds zero drift afterwards', async () => {
    // given: the indexer follows the stream (caught up with the table's history), and a writer keeps changing items
    const directory = await tempDir();
    runner = new StreamRunner({
      handler,
      tableName: stack.table,
      startPosition: 'TRIM_HORIZON',
      batchSize: 100,
      checkpointFile: path.join(directory, 'stream-checkpoints.json'),
      logger: silentLogger,
      pollIntervalMs: 50,
      idlePollMaxMs: 250,
      describeIntervalMs: 2_000,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 500,
    });
    await runner.start();
    await putItems(dynamo, stack.table, catalogItems(ITEMS));
    await runner.drained();
    const writer = startWriter(dynamo, stack.table);

    // when: the backfill runs meanwhile
    const summary = await backfill(clients, scanBackfillOptions(stack.table, directory, { concurrency: 2 }));
    const writes = await writer.stop();
    await runner.drained();

    // then
    expect(summary.status).toBe('completed');
    expect(summary.counts.failed).toBe(0);
    expect(summary.counts.indexed + summary.counts.stale).toBe(summary.counts.read);
    expect(writes.operations).toBeGreaterThan(20);
    expect(writes.deletes).toBeGreaterThan(0);
    expect(runner.status().totals.recordsProcessed).toBeGreaterThan(ITEMS);
    await openSearch.indices.refresh({ index: `${stack.products}-write,${stack.reviews}-write` });
    const verified = await verify(clients, stack.table);
    expect(verified.drift).toEqual({ missing: 0, different: 0, extra: 0, invalid: 0 });
    expect(verified.status).toBe('clean');
    expect(verified.counts?.every((count) => count.documents === count.tableItems)).toBe(true);
    const deadLetters = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(deadLetters.Attributes?.['ApproximateNumberOfMessages']).toBe('0');
  });
});
