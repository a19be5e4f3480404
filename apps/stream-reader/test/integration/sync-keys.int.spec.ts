import { defineSyncs, type SyncDefinition } from '@ddb-os/sync-definition';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  lambdaContext,
  stackEndpoints,
  testSyncDefinition,
  uniqueName,
} from '@ddb-os/testing';
import { streamReaderConfigOf } from '../../src/config';
import { createStreamReaderHandler } from '../../src/handler';

jest.setTimeout(60_000);

/**
 * The stream reader finds its sync as the indexer does: SYNC_NAME (optional with one sync), and the key attributes
 * that make a record's message group either declared or read from the existing table with DescribeTable (moto).
 */
describe("the stream reader's sync and key attributes", () => {
  const dynamo = dynamoClient();
  const table = uniqueName('reader-orders');
  const endpoints = stackEndpoints();
  const env: NodeJS.ProcessEnv = {
    BUFFER_QUEUE_URL: `${endpoints.sqs}/000000000000/${uniqueName('buffer')}.fifo`,
    DLQ_URL: `${endpoints.sqs}/000000000000/${uniqueName('reader-dlq')}`,
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
  };
  const orders: SyncDefinition = {
    ...testSyncDefinition({ name: 'orders', routes: [{ index: uniqueName('orders'), match: { always: true } }], mode: 'buffered' }),
    table: { existing: { name: table } },
  };
  const demo = testSyncDefinition({ name: 'demo', routes: [{ index: uniqueName('demo'), match: { always: true } }], mode: 'buffered' });
  const syncs = defineSyncs({ syncs: [orders, demo] });

  beforeAll(async () => {
    await createStreamTable(dynamo, table, { pk: 'orderId' });
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    dynamo.destroy();
  });

  it("reads an existing table's key attributes with DescribeTable", async () => {
    const config = await streamReaderConfigOf(syncs, { ...env, SYNC_NAME: 'orders' });
    expect(config.keyAttributes).toEqual(['orderId']);
  });

  it("takes a created table's declared key attributes", async () => {
    const config = await streamReaderConfigOf(syncs, { ...env, SYNC_NAME: 'demo' });
    expect(config.keyAttributes).toEqual(['pk', 'sk']);
  });

  it.each([
    [{ SYNC_NAME: undefined }, /SYNC_NAME: is required: the definition has several syncs \(orders, demo\)/],
    [{ SYNC_NAME: 'invoices' }, /SYNC_NAME: names no sync of the definition \("invoices"; it has: orders, demo\)/],
    [
      { SYNC_NAME: 'orders', SYNC_FINGERPRINT: '0000000000000000' },
      /SYNC_FINGERPRINT: the deployment was synthesized from another definition/,
    ],
    [
      { SYNC_NAME: 'orders', TABLE_NAME: undefined },
      /TABLE_NAME: is required: sync "orders" reads the key attributes of its existing table/,
    ],
  ])('refuses %j at cold start, naming the variable, before any record is read', async (override, expected) => {
    // given a record that would reveal it was touched (it has no readable keys at all)
    const handler = createStreamReaderHandler(syncs, { ...env, POWERTOOLS_LOG_LEVEL: 'SILENT', ...override });
    // when / then
    await expect(handler({ Records: [{ eventID: 'never-read' }] } as never, lambdaContext())).rejects.toThrow(expected);
  });
});
