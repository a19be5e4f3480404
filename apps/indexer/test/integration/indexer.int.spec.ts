import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@opensearch-project/opensearch';
import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { productSchema } from '@ddb-os/schemas';
import { defineSyncs } from '@ddb-os/sync-definition';
import {
  lambdaContext,
  lambdaEvent,
  openSearchClient,
  ShardHistory,
  sqsClient,
  stackEndpoints,
  testSyncDefinition,
  uniqueName,
} from '@ddb-os/testing';

const products = uniqueName('products');
const misc = uniqueName('misc');
const routes = [
  { index: products, schema: productSchema, match: { attribute: 'entityType', equals: 'product' } },
  { index: misc, match: { attribute: 'entityType', equals: 'misc' } },
];
// The indexer's handler (as apps/indexer/src/main.ts builds it) for a sync with this test's own indexes.
const handler = createStreamBatchHandler(defineSyncs({ syncs: [testSyncDefinition({ routes })] }));
// The same sync keeping TTL-expired items as documents marked expired (its `ttlDeletes` policy).
const markExpiredHandler = createStreamBatchHandler(
  defineSyncs({ syncs: [{ ...testSyncDefinition({ routes }), ttlDeletes: 'mark-expired' }] }),
);

const product = (productId: string, extra: Record<string, unknown> = {}) => ({
  pk: `PRODUCT#${productId}`,
  sk: 'PRODUCT',
  entityType: 'product',
  productId,
  name: `Lamp ${productId}`,
  description: 'A lamp',
  category: 'lighting',
  price: 25,
  tags: ['home'],
  inStock: true,
  updatedAt: '2026-11-26T08:00:00.000Z',
  ...extra,
});

describe('indexer handler against the real OpenSearch and SQS', () => {
  let openSearch: Client;
  let sqs: SQSClient;
  let dlqUrl: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    openSearch = openSearchClient();
    sqs = sqsClient();
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('indexer-dlq') }))).QueueUrl ?? '';
    configureIndexer({ OPENSEARCH_NODE: stackEndpoints().opensearch });
  });

  afterAll(async () => {
    process.env = savedEnv;
    handler.reset();
    await openSearch.indices.delete({ index: `${products}-*,${misc}-*`, ignore_unavailable: true });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
    await openSearch.close();
    sqs.destroy();
  });

  function configureIndexer(overrides: Record<string, string>): void {
    const endpoints = stackEndpoints();
    Object.assign(process.env, {
      DLQ_URL: dlqUrl,
      SQS_ENDPOINT: endpoints.sqs,
      AWS_REGION: endpoints.region,
      AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
      RETRY_BASE_DELAY_MS: '20',
      RETRY_MAX_DELAY_MS: '200',
      ...overrides,
    });
    handler.reset();
  }

  async function searchAll(index: string): Promise<Record<string, unknown>[]> {
    await openSearch.indices.refresh({ index });
    const response = await openSearch.search({ index, body: { query: { match_all: {} }, size: 100 } });
    const docs = response.body.hits.hits.map((hit) => hit._source as Record<string, unknown>);
    return docs.sort((a, b) => String(a['productId']).localeCompare(String(b['productId'])));
  }

  async function receiveDeadLetters(): Promise<Record<string, unknown>[]> {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    return (received.Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>);
  }

  it('indexes inserts and updates and hides deletes behind the read alias, and re-delivery changes nothing', async () => {
    // given: p1 inserted then updated, p2 inserted then deleted, p3 inserted
    const shard = new ShardHistory();
    shard.put(product('p1'));
    shard.put(product('p2'));
    shard.put(product('p1', { price: 30, name: 'Lamp p1 v2' }));
    shard.remove({ pk: 'PRODUCT#p2', sk: 'PRODUCT' });
    shard.put(product('p3', { inStock: false }));

    // when
    const response = await handler(lambdaEvent(shard.records), lambdaContext());

    // then
    expect(response.batchItemFailures).toEqual([]);
    const indexed = await searchAll(products);
    expect(indexed.map((doc) => [doc['productId'], doc['price'], doc['name']])).toEqual([
      ['p1', 30, 'Lamp p1 v2'],
      ['p3', 25, 'Lamp p3'],
    ]);

    // when: Lambda re-delivers the older half of the batch after a partial failure
    const redelivery = await handler(lambdaEvent(shard.records.slice(0, 3)), lambdaContext());

    // then: nothing older came back, the deleted item stays deleted
    expect(redelivery.batchItemFailures).toEqual([]);
    expect((await searchAll(products)).map((doc) => [doc['productId'], doc['price']])).toEqual([
      ['p1', 30],
      ['p3', 25],
    ]);
  });

  it('sends a record OpenSearch rejects (mapping conflict) to the DLQ with its data, and indexes the rest', async () => {
    // given: a schema-less index learns `size` as a number, then an item sends text for it
    const shard = new ShardHistory();
    shard.put({ pk: 'MISC#1', sk: 'MISC', entityType: 'misc', productId: 'm1', size: 5 });
    await handler(lambdaEvent(shard.records), lambdaContext());
    const poison = shard.put({ pk: 'MISC#2', sk: 'MISC', entityType: 'misc', productId: 'm2', size: 'enormous' });
    const healthy = shard.put({ pk: 'MISC#3', sk: 'MISC', entityType: 'misc', productId: 'm3', size: 7 });

    // when
    const response = await handler(lambdaEvent([poison, healthy]), lambdaContext());

    // then: the shard is not blocked, the healthy record is indexed, the poison one is parked with its data
    expect(response.batchItemFailures).toEqual([]);
    expect((await searchAll(misc)).map((doc) => doc['productId'])).toEqual(['m1', 'm3']);
    const [message] = await receiveDeadLetters();
    expect(message).toMatchObject({
      kind: 'poison-record',
      reason: expect.stringContaining('size'),
      sequenceNumber: poison.dynamodb?.SequenceNumber,
      record: { dynamodb: { NewImage: { size: { S: 'enormous' } } } },
    });
  });

  it('sends an item that does not fit its index schema to the DLQ, naming the field', async () => {
    // given
    const shard = new ShardHistory();
    const invalid = shard.put(product('bad', { price: 'free' }));
    // when
    const response = await handler(lambdaEvent([invalid]), lambdaContext());
    // then
    expect(response.batchItemFailures).toEqual([]);
    const [message] = await receiveDeadLetters();
    expect(message).toMatchObject({
      kind: 'poison-record',
      reason: expect.stringMatching(new RegExp(`schema of index "${products}".*price`)),
      table: 'demo-items',
    });
  });

  it('deletes TTL-expired items by default, or keeps them marked expired when the sync says ttlDeletes: mark-expired', async () => {
    // given: two products expire by TTL (REMOVE by the DynamoDB service principal)
    const shard = new ShardHistory();
    shard.put(product('ttl-1'));
    shard.put(product('ttl-2'));
    const ttlRemove = (productId: string) => {
      const record = shard.remove({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' });
      return { ...record, userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } as NonNullable<typeof record>;
    };
    await handler(lambdaEvent(shard.records), lambdaContext());

    // when: one expiry under the default policy, one under mark-expired
    await handler(lambdaEvent([ttlRemove('ttl-1')]), lambdaContext());
    await markExpiredHandler(lambdaEvent([ttlRemove('ttl-2')]), lambdaContext());

    // then
    const docs = (await searchAll(products)).filter((doc) => String(doc['productId']).startsWith('ttl-'));
    expect(docs).toEqual([
      expect.objectContaining({
        productId: 'ttl-2',
        ddbSync: expect.objectContaining({ expired: true, eventName: 'REMOVE', deleted: false }),
      }),
    ]);
  });

  it('reports the first record of the batch when the cluster is unreachable, so nothing is skipped', async () => {
    // given: nothing listens on the configured port
    configureIndexer({ OPENSEARCH_NODE: 'http://127.0.0.1:9', RETRY_MAX_ATTEMPTS: '2' });
    const shard = new ShardHistory();
    const first = shard.put(product('down-1'));
    shard.put(product('down-2'));
    try {
      // when
      const response = await handler(lambdaEvent(shard.records), lambdaContext(5_000));
      // then
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: first.dynamodb?.SequenceNumber }]);
    } finally {
      configureIndexer({ OPENSEARCH_NODE: stackEndpoints().opensearch });
    }
  });
});
