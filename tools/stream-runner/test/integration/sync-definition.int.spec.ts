import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { documentId, physicalIndexName } from '@ddb-os/opensearch-mapping';
import { defineSyncs, hashOf, type SyncDefinition } from '@ddb-os/sync-definition';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  openSearchClient,
  sqsClient,
  stackEndpoints,
  uniqueName,
  waitFor,
} from '@ddb-os/testing';
import { z } from 'zod';
import { defaultSqsDestination } from '../../src/aws-clients';
import { CheckpointStore } from '../../src/checkpoint-store';
import type { StreamRunner } from '../../src/stream-runner';
import type { BatchResultEvent } from '../../src/types';
import { fastRunner, tempCheckpointFile } from '../helpers/runner';

jest.setTimeout(60_000);

const QUICK = { pollIntervalMs: 25, idlePollMaxMs: 100, describeIntervalMs: 500, retryBaseDelayMs: 10, retryMaxDelayMs: 50 } as const;

const orderSchema = z.object({
  orderId: z.string(),
  customerEmail: z.string(),
  internalNote: z.string(),
  total: z.number(),
  status: z.string(),
});

/** A sync of a table the deployment does not create (key `orderId`, never typed here) with a transform. */
function ordersSync(table: string, index: string): SyncDefinition {
  return {
    name: 'orders',
    table: { existing: { name: table } },
    domain: { existing: { endpoint: stackEndpoints().opensearch, arn: 'arn:aws:es:us-east-1:000000000000:domain/local' } },
    routes: [
      {
        index,
        schema: orderSchema,
        match: { always: true },
        transform: {
          exclude: ['internalNote'],
          rename: { total: 'amount' },
          hash: ['customerEmail'],
          computed: { statusLabel: { schema: z.string(), compute: (item) => `order ${String(item['status'])}` } },
        },
      },
    ],
  };
}

const order = (orderId: string, total: number) => ({
  orderId,
  customerEmail: `${orderId}@example.com`,
  internalNote: `note ${orderId}`,
  total,
  status: 'paid',
});

/**
 * The real indexer handler on a real stream (moto), queues (ElasticMQ) and OpenSearch, for a sync of the definition:
 * an existing pk-only table whose key the indexer reads with DescribeTable, a route with a transform; and the cold
 * start refusing a function whose SYNC_NAME or SYNC_FINGERPRINT does not fit the compiled-in definition.
 */
describe('StreamRunner with the real indexer of an existing-table sync', () => {
  const dynamo = dynamoClient();
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const table = uniqueName('orders');
  const index = uniqueName('orders');
  const syncs = defineSyncs({ syncs: [ordersSync(table, index)] });
  const queues: string[] = [];
  const runners: StreamRunner[] = [];
  const items = [order('o-1', 12.5), order('o-2', 40)];
  let streamArn: string;

  const newQueue = async (prefix: string): Promise<string> => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(prefix) }))).QueueUrl ?? '';
    queues.push(queueUrl);
    return queueUrl;
  };

  const indexerEnv = async (overrides: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> => ({
    OPENSEARCH_NODE: stackEndpoints().opensearch,
    DLQ_URL: await newQueue('orders-dlq'),
    SQS_ENDPOINT: stackEndpoints().sqs,
    DYNAMODB_ENDPOINT: stackEndpoints().dynamodb,
    TABLE_NAME: table,
    AWS_REGION: stackEndpoints().region,
    AWS_ACCESS_KEY_ID: stackEndpoints().credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stackEndpoints().credentials.secretAccessKey,
    RETRY_BASE_DELAY_MS: '10',
    RETRY_MAX_DELAY_MS: '50',
    ...overrides,
  });

  const messagesIn = async (queueUrl: string) =>
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes;

  beforeAll(async () => {
    streamArn = await createStreamTable(dynamo, table, { pk: 'orderId' });
    for (const item of items) await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await deleteTable(dynamo, table);
    await Promise.all(queues.map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl }))));
    await openSearch.indices.delete({ index: physicalIndexName(index, 1), ignore_unavailable: true });
    await openSearch.close();
    dynamo.destroy();
    sqs.destroy();
  });

  it.each([
    [{ SYNC_NAME: 'invoices' }, /SYNC_NAME: names no sync of the definition \("invoices"; it has: orders\)/],
    [{ SYNC_FINGERPRINT: '0000000000000000' }, /SYNC_FINGERPRINT: the deployment was synthesized from another definition of sync "orders"/],
  ])('refuses %j at cold start naming the variable, and holds the shard before any record is touched', async (override, expected) => {
    // given a function whose environment does not fit the compiled-in definition
    const env = await indexerEnv(override);
    const onFailureQueue = await newQueue('orders-on-failure');
    const checkpointFile = await tempCheckpointFile();
    const results: BatchResultEvent[] = [];
    const runner = fastRunner({
      ...QUICK,
      handler: createStreamBatchHandler(syncs, env),
      tableName: table,
      maxRetryAttempts: 1,
      bisectBatchOnError: true,
      onFailure: defaultSqsDestination(onFailureQueue),
      checkpointFile,
    });
    runners.push(runner);
    runner.on('batch', (result) => results.push(result));

    // when
    await runner.start();
    await waitFor(() => results.length >= 3, { timeoutMs: 20_000, description: 'more invocations than one retry allows' });
    const shard = runner.status().shards[0];
    await runner.stop();

    // then: held (a configuration error), nothing checkpointed, sent on-failure, dead-lettered or indexed
    expect(shard).toMatchObject({ state: 'holding', checkpoint: undefined, recordsDiscarded: 0 });
    expect(shard?.lastError).toMatch(expected);
    expect(results.every((result) => result.outcome === 'failure' && result.size === items.length)).toBe(true);
    expect((await CheckpointStore.open(checkpointFile)).get(streamArn, shard?.shardId ?? '')).toBeUndefined();
    expect(await messagesIn(onFailureQueue)).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    expect(await messagesIn(env['DLQ_URL'] ?? '')).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    expect((await openSearch.indices.exists({ index })).body).toBe(false);
  });

  describe('with SYNC_NAME naming the sync and SYNC_FINGERPRINT its own', () => {
    let documents: Map<string, Record<string, unknown>>;

    beforeAll(async () => {
      // given no key attributes anywhere but in the table itself (DescribeTable through DYNAMODB_ENDPOINT)
      const env = await indexerEnv({ SYNC_NAME: 'orders', SYNC_FINGERPRINT: syncs.named('orders').fingerprint });
      const runner = fastRunner({
        ...QUICK,
        handler: createStreamBatchHandler(syncs, env),
        tableName: table,
        checkpointFile: await tempCheckpointFile(),
      });
      runners.push(runner);
      // when
      await runner.start();
      await waitFor(() => runner.status().totals.recordsProcessed === items.length, {
        timeoutMs: 20_000,
        description: 'the orders indexed',
      });
      await openSearch.indices.refresh({ index });
      const hits = (await openSearch.search({ index, body: { query: { match_all: {} } } })).body.hits.hits;
      documents = new Map(hits.map((hit) => [String(hit._id), hit._source as Record<string, unknown>]));
      expect(runner.status().totals).toMatchObject({ recordsDiscarded: 0 });
    });

    it('indexes the records under ids made of the key read from the table (orderId)', () => {
      expect([...documents.keys()].sort()).toEqual(items.map(({ orderId }) => documentId({ orderId }, ['orderId'])).sort());
    });

    it('applies the route transform: excluded attribute absent, renamed, hashed and computed fields present', () => {
      const document = [...documents.values()].find((source) => source['orderId'] === 'o-1');
      expect(document).toMatchObject({
        orderId: 'o-1',
        amount: 12.5,
        customerEmail: hashOf('o-1@example.com'),
        status: 'paid',
        statusLabel: 'order paid',
      });
      expect(document).not.toHaveProperty('internalNote');
      expect(document).not.toHaveProperty('total');
    });

    it('maps the index from the transformed document: renamed and computed fields mapped, excluded absent, strict', async () => {
      const response = await openSearch.indices.getMapping({ index: physicalIndexName(index, 1) });
      const mappings = (
        Object.values(response.body)[0] as { mappings: { dynamic: unknown; properties: Record<string, { type?: string }> } }
      ).mappings;
      expect(String(mappings.dynamic)).toBe('strict');
      expect(mappings.properties).toMatchObject({
        orderId: { type: 'keyword' },
        amount: { type: 'double' },
        customerEmail: { type: 'keyword' },
        statusLabel: expect.objectContaining({ type: expect.any(String) }),
      });
      expect(mappings.properties).not.toHaveProperty('internalNote');
      expect(mappings.properties).not.toHaveProperty('total');
    });
  });
});
