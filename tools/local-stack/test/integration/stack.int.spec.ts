import { PutItemCommand, UpdateItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { Readable } from 'node:stream';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  openSearchClient,
  s3Client,
  sqsClient,
  streamsClient,
  uniqueName,
  waitFor,
} from '@ddb-os/testing';
import { productItem } from '../helpers/factories';

// Shared 2-core machines: creating an index alone can take seconds.
jest.setTimeout(30_000);

describe('local stack', () => {
  describe('DynamoDB Streams (moto)', () => {
    const dynamo = dynamoClient();
    const streams = streamsClient();
    const table = uniqueName('stack-int');

    afterAll(async () => {
      await deleteTable(dynamo, table);
      dynamo.destroy();
      streams.destroy();
    });

    it('delivers INSERT, MODIFY and REMOVE records with NEW_AND_OLD_IMAGES, in order', async () => {
      // given a table with a NEW_AND_OLD_IMAGES stream
      const streamArn = await createStreamTable(dynamo, table, { pk: 'pk', sk: 'sk' });
      const item = productItem('p1');
      const key = marshall({ pk: item.pk, sk: item.sk });

      // when an item is put, updated and deleted
      await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
      await dynamo.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET price = :price',
          ExpressionAttributeValues: marshall({ ':price': 99 }),
        }),
      );
      await dynamo.send(new DeleteItemCommand({ TableName: table, Key: key }));

      // then the stream holds the three changes with the right images
      const records = await waitFor(
        async () => {
          const found = await readAllRecords(streams, streamArn);
          return found.length >= 3 ? found : false;
        },
        { timeoutMs: 10_000, description: 'three stream records' },
      );
      expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
      const [insert, modify, remove] = records as [StreamRecord, StreamRecord, StreamRecord];
      expect(unmarshall(insert.dynamodb?.Keys ?? {})).toEqual({ pk: item.pk, sk: item.sk });
      expect(insert.dynamodb?.OldImage).toBeUndefined();
      expect(unmarshall(insert.dynamodb?.NewImage ?? {})).toEqual(item);
      expect(unmarshall(modify.dynamodb?.OldImage ?? {})).toEqual(item);
      expect(unmarshall(modify.dynamodb?.NewImage ?? {})).toEqual({ ...item, price: 99 });
      expect(unmarshall(remove.dynamodb?.OldImage ?? {})).toEqual({ ...item, price: 99 });
      expect(remove.dynamodb?.NewImage).toBeUndefined();
      const sequenceNumbers = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
      expect([...sequenceNumbers].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(sequenceNumbers);
      expect(new Set(sequenceNumbers).size).toBe(3);
    });
  });

  describe('OpenSearch', () => {
    const client = openSearchClient();
    const index = uniqueName('stack-int');

    afterAll(async () => {
      await client.indices.delete({ index, ignore_unavailable: true });
      await client.close();
    });

    it('indexes a document and finds it by full-text search', async () => {
      // given a document
      const document = { name: 'Blue trail running shoe', price: 89.5 };

      // when it is indexed (and made visible to search)
      await client.index({ index, id: 'p1', body: document, refresh: 'wait_for' });

      // then a match query finds it
      const response = await client.search({ index, body: { query: { match: { name: 'trail' } } } });
      expect(response.body.hits.hits.map((hit) => [hit._id, hit._source])).toEqual([['p1', document]]);
    });
  });

  describe('SQS (ElasticMQ)', () => {
    const client = sqsClient();
    let queueUrl: string | undefined;

    afterAll(async () => {
      if (queueUrl) await client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      client.destroy();
    });

    it('delivers a sent message to a receiver', async () => {
      // given a queue
      queueUrl = (await client.send(new CreateQueueCommand({ QueueName: uniqueName('stack-int') }))).QueueUrl;
      const body = JSON.stringify({ kind: 'poison-record', reason: 'test' });

      // when a message is sent and received
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));

      // then it is the same message
      expect(received.Messages?.map((message) => message.Body)).toEqual([body]);
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }));
    });
  });

  describe('S3 (S3Proxy)', () => {
    const client = s3Client();
    const bucket = uniqueName('stack-int');
    const keys = ['archive/2026/record.json', 'archive/2026/streamed.ndjson'];

    afterAll(async () => {
      for (const Key of keys) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      client.destroy();
    });

    it('stores and returns objects, from a string and from a stream of unknown length', async () => {
      // given a bucket
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      const text = JSON.stringify({ kind: 'failed-batch', records: 3 });
      const lines = '{"a":1}\n{"b":2}\n';

      // when objects are put (a string body, and a stream body the SDK sends with aws-chunked encoding)
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: keys[0], Body: text, ContentType: 'application/json' }));
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keys[1],
          Body: Readable.from([Buffer.from(lines)]),
          ContentLength: Buffer.byteLength(lines),
        }),
      );

      // then both come back unchanged
      const first = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keys[0] }));
      const second = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keys[1] }));
      expect(await first.Body?.transformToString()).toBe(text);
      expect(first.ContentType).toBe('application/json');
      expect(await second.Body?.transformToString()).toBe(lines);
    });
  });
});

async function readAllRecords(client: ReturnType<typeof streamsClient>, streamArn: string): Promise<StreamRecord[]> {
  const description = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: StreamRecord[] = [];
  for (const shard of description.StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    let iterator = ShardIterator;
    for (let page = 0; iterator && page < 10; page += 1) {
      const response = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(response.Records ?? []));
      if ((response.Records ?? []).length === 0) break;
      iterator = response.NextShardIterator;
    }
  }
  return records;
}
