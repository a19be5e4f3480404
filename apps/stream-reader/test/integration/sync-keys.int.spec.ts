import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { documentId } from '@ddb-os/opensearch-mapping';
import { defineSyncs, type SyncDefinition } from '@ddb-os/sync-definition';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  lambdaContext,
  lambdaEvent,
  lambdaRecord,
  sqsClient,
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

  it("publishes a record to the FIFO buffer in its document's group, with the credentials of the reader's own environment", async () => {
    // given a real FIFO buffer, and credentials only in the environment given to the reader (none in process.env
    // when the tests run as a new user would)
    const sqs = sqsClient();
    const bufferUrl =
      (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: `${uniqueName('reader-buffer')}.fifo`,
            Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' },
          }),
        )
      ).QueueUrl ?? '';
    try {
      const handler = createStreamReaderHandler(syncs, {
        ...env,
        SYNC_NAME: 'orders',
        BUFFER_QUEUE_URL: bufferUrl,
        SQS_ENDPOINT: endpoints.sqs,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      });
      const order = { orderId: 'o-1', total: 5 };
      const record = lambdaRecord({
        eventName: 'INSERT',
        keys: { orderId: 'o-1' },
        newItem: order,
        sequenceNumber: 100n,
        second: 1_790_000_000,
      });
      // when
      const response = await handler(lambdaEvent([record]), lambdaContext());
      // then: grouped by the document id of the key read from the table
      expect(response.batchItemFailures).toEqual([]);
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: bufferUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['MessageGroupId'],
        }),
      );
      expect(received.Messages?.map((message) => message.Attributes?.['MessageGroupId'])).toEqual([
        documentId({ orderId: 'o-1' }, ['orderId']),
      ]);
    } finally {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: bufferUrl }));
      sqs.destroy();
    }
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
