import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { createStreamTable, deleteTable, dynamoClient, s3Client, sqsClient, streamsClient, uniqueName } from '@ddb-os/testing';
import { createFailureHandler } from '../../src/handler';
import { configFactory, recordingLogger, recordingMetrics } from '../helpers/factories';
import { createBucket, createQueue, deleteBucket, readWholeShard } from '../helpers/stack';
import { S3FailedBatchObjects } from '../../src/failed-batch-objects';

jest.setTimeout(60_000);

/** Issue 13, item 1: a range holding an item with an attribute named `__proto__` must still be archivable. */
describe('failure handler: a failed range holding an attribute named __proto__', () => {
  const dynamo = dynamoClient();
  const streams = streamsClient();
  const s3 = s3Client();
  const table = uniqueName('fh-proto');
  const bucket = uniqueName('fh-proto-archive');

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await deleteBucket(s3, bucket);
  });

  it('archives every record of the range, the __proto__ one included with its key', async () => {
    // given: a good item, an item with a top-level "__proto__" attribute, another good item, all in one failed range
    const streamArn = await createStreamTable(dynamo, table);
    await createBucket(s3, bucket);
    const items = [
      { pk: { S: 'THING#before' }, sk: { S: '1' } },
      JSON.parse('{"pk":{"S":"THING#proto"},"sk":{"S":"1"},"__proto__":{"S":"x"}}') as Record<string, AttributeValue>,
      { pk: { S: 'THING#after' }, sk: { S: '1' } },
    ];
    for (const Item of items) await dynamo.send(new PutItemCommand({ TableName: table, Item }));
    const shard = await readWholeShard(streams, streamArn);
    const [first, last] = [shard.records[0], shard.records[2]].map((record) => record?.dynamodb?.SequenceNumber ?? '');
    const queue = await createQueue(sqsClient(), uniqueName('fh-proto-on-failure'));
    await queue.send(
      JSON.stringify({
        requestContext: {
          requestId: 'req-1',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:indexer',
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 3,
        },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: new Date().toISOString(),
        DDBStreamBatchInfo: { shardId: shard.shardId, startSequenceNumber: first, endSequenceNumber: last, batchSize: 3, streamArn },
      }),
    );
    const store = new S3ArchiveStore(s3, bucket);
    const handler = createFailureHandler({
      config: configFactory({ archive: { bucket, prefix: 'failures/', gzip: true }, region: 'us-east-1', maxGetRecordsCalls: 20 }),
      streams,
      store,
      objects: new S3FailedBatchObjects(s3),
      logger: recordingLogger(),
      metrics: recordingMetrics(),
      now: () => new Date(),
    });

    // when
    const response = await handler(await queue.receiveEvent(1));

    // then: nothing left for redelivery, and one archive holding the three records
    expect(response.batchItemFailures).toEqual([]);
    const keys: string[] = [];
    for await (const object of store.list(`failures/${table}/`)) keys.push(object.key);
    expect(keys).toHaveLength(1);
    const archive = await store.read(keys[0] as string);
    expect(archive.header).toMatchObject({ lost: null, counts: { records: 3, expected: 3 } });
    expect(archive.records.map((record) => (record as { dynamodb: { Keys: { pk: { S: string } } } }).dynamodb.Keys.pk.S)).toEqual([
      'THING#before',
      'THING#proto',
      'THING#after',
    ]);
  });
});
