import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { documentId, readAlias } from '@ddb-os/opensearch-mapping';
import { createTable, deleteTable, dynamoClient, openSearchClient, sqsClient, uniqueName, waitFor } from '@ddb-os/testing';
import { ddbOs, spawnDdbOs, summaryOf } from '../helpers/process';

jest.setTimeout(180_000);

const DEFINITION = 'apps/cli/test/fixtures/two-syncs.ts';

const order = (orderId: string, total: number) => ({
  orderId,
  customer: `customer of ${orderId}`,
  total,
  internalNote: `do not index ${orderId}`,
  placedAt: '2026-12-01T10:00:00.000Z',
});

/**
 * Issue #15's acceptance: a second sync added to the definition (a table the demo does not know, key `orderId` only,
 * a transform that drops one attribute and renames another), run end to end on the local stack by a new user (no
 * AWS_* variables): items written before the stream existed, the stream runner with the sync's indexer, a backfill,
 * then verify clean; the dropped attribute absent from the index and its mapping, the renamed one present.
 */
describe('a second sync added to the definition, end to end', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const sqs = sqsClient();
  const table = uniqueName('orders');
  const index = uniqueName('orders');
  const env = {
    CLI_TEST_ORDERS_TABLE: table,
    CLI_TEST_ORDERS_INDEX: index,
    CLI_TEST_DEMO_PREFIX: uniqueName('two'),
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  const global = ['--definition', DEFINITION, '--sync', 'orders'];
  let queueUrl: string;

  beforeAll(async () => {
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('orders-dlq') }))).QueueUrl ?? '';
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    await openSearch.indices.delete({ index: `${index}-*`, ignore_unavailable: true });
    dynamo.destroy();
    sqs.destroy();
    await openSearch.close();
  });

  it('streams and backfills the orders table through its transform, and verify finds it clean', async () => {
    // given a table with items written before its stream was switched on
    await createTable(dynamo, table, { pk: 'orderId' });
    for (const item of [order('o-1', 10), order('o-2', 20), order('o-3', 30)])
      await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
    await dynamo.send(
      new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
    );

    // when the stream runner indexes the stream with the orders sync, and changes keep coming
    const checkpointFile = path.join(await mkdtemp(path.join(tmpdir(), 'ddb-os-orders-')), 'checkpoints.json');
    const runner = spawnDdbOs(
      [...global, 'run', '--dlq-url', queueUrl, '--checkpoint-file', checkpointFile, '--poll-interval-ms', '50'],
      env,
    );
    try {
      await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(order('o-4', 40)) }));
      await dynamo.send(
        new UpdateItemCommand({
          TableName: table,
          Key: marshall({ orderId: 'o-1' }),
          UpdateExpression: 'SET #total = :total',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: marshall({ ':total': 11 }),
        }),
      );
      await dynamo.send(new DeleteItemCommand({ TableName: table, Key: marshall({ orderId: 'o-2' }) }));
      // the runner has indexed the stream's changes (o-4 new, o-1 updated)
      await waitFor(async () => (await liveDocuments(index)).get(documentId({ orderId: 'o-1' }, ['orderId']))?.['amount'] === 11, {
        timeoutMs: 60_000,
        description: 'the runner indexes the update of o-1',
      });

      // o-3, written before the stream existed and never changed since, is not in the index yet
      expect((await liveDocuments(index)).has(documentId({ orderId: 'o-3' }, ['orderId']))).toBe(false);

      // and the items written before the stream are backfilled (table from the definition, keys from DescribeTable);
      // the ones the stream already indexed with newer changes (o-1, o-4) are skipped as stale, not overwritten
      const backfill = await ddbOs([...global, 'backfill', '--progress', 'none'], env);
      expect(backfill.code).toBe(0);
      const { counts } = summaryOf(backfill) as { counts: Record<string, number> };
      expect(counts).toMatchObject({ read: 3, failed: 0, unrouted: 0 });
      expect((counts['indexed'] ?? 0) + (counts['stale'] ?? 0)).toBe(3);
      expect(counts['indexed']).toBeGreaterThanOrEqual(1);

      // then verify compares the table with the index, items as the sync shapes them: clean
      const verify = await ddbOs([...global, 'verify', '--progress', 'none'], env);
      expect({ code: verify.code, summary: summaryOf(verify) }).toMatchObject({
        code: 0,
        summary: { status: 'clean', drift: { missing: 0, different: 0, extra: 0, invalid: 0 } },
      });
    } finally {
      runner.child.kill('SIGTERM');
      await runner.finished;
    }

    // and the index holds the table's current items, shaped by the transform
    const documents = await liveDocuments(index);
    expect([...documents.keys()].sort()).toEqual(['o-1', 'o-3', 'o-4'].map((id) => documentId({ orderId: id }, ['orderId'])).sort());
    for (const document of documents.values()) {
      expect(document).not.toHaveProperty('internalNote');
      expect(document).not.toHaveProperty('total');
      expect(document).toHaveProperty('amount');
    }
    expect(documents.get(documentId({ orderId: 'o-3' }, ['orderId']))).toMatchObject({
      orderId: 'o-3',
      customer: 'customer of o-3',
      amount: 30,
    });
    const mappings = await openSearch.indices.getMapping({ index: readAlias(index) });
    const properties = Object.values(mappings.body)[0]?.mappings?.properties ?? {};
    expect(properties).toHaveProperty('amount');
    expect(properties).not.toHaveProperty('internalNote');
    expect(properties).not.toHaveProperty('total');
    // nothing was dead-lettered on the way
    const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(dlq.Attributes?.['ApproximateNumberOfMessages']).toBe('0');
  });

  /** The live documents of the read alias (tombstones are filtered out by it), by id. */
  async function liveDocuments(base: string): Promise<Map<string, Record<string, unknown>>> {
    await openSearch.indices.refresh({ index: readAlias(base), ignore_unavailable: true });
    const exists = await openSearch.indices.exists({ index: readAlias(base) });
    if (!exists.body) return new Map();
    const response = await openSearch.search({ index: readAlias(base), body: { size: 100, query: { match_all: {} } } });
    const hits = response.body.hits.hits as Array<{ _id: string; _source: Record<string, unknown> }>;
    return new Map(hits.map((hit) => [hit._id, hit._source]));
  }
});
