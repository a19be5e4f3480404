import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { toLambdaRecord } from '@ddb-os/stream-decoding';
import { createStreamTable, deleteTable, dynamoClient, s3Client, sqsClient, streamsClient, uniqueName } from '@ddb-os/testing';
import type { SQSEvent } from 'aws-lambda';
import { gunzipSync } from 'node:zlib';
import { S3FailedBatchObjects } from '../../src/failed-batch-objects';
import { createFailureHandler } from '../../src/handler';
import { configFactory, recordingLogger, recordingMetrics } from '../helpers/factories';
import { createBucket, createQueue, deleteBucket, readWholeShard } from '../helpers/stack';

jest.setTimeout(60_000);

describe('failure handler against the local stack', () => {
  const dynamo = dynamoClient();
  const streams = streamsClient();
  const s3 = s3Client();
  const table = uniqueName('fh-orders');
  const bucket = uniqueName('fh-archive');
  let streamArn: string;
  let shard: Awaited<ReturnType<typeof readWholeShard>>;

  const setUp = (maxGetRecordsCalls = 20) => {
    const logger = recordingLogger();
    const metrics = recordingMetrics();
    const store = new S3ArchiveStore(s3, bucket);
    const handler = createFailureHandler({
      config: configFactory({ archive: { bucket, prefix: 'failures/', gzip: true }, region: 'us-east-1', maxGetRecordsCalls }),
      streams,
      store,
      objects: new S3FailedBatchObjects(s3),
      logger,
      metrics,
      now: () => new Date(),
    });
    return { handler, logger, metrics, store };
  };

  const onFailureBody = (start: string, end: string, batchSize: number, shardId = shard.shardId) =>
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
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: start,
        endSequenceNumber: end,
        approximateArrivalOfFirstRecord: new Date().toISOString(),
        approximateArrivalOfLastRecord: new Date().toISOString(),
        batchSize,
        streamArn,
      },
    });

  const objectsUnder = async (store: S3ArchiveStore, prefix = 'failures/') => {
    const keys: string[] = [];
    for await (const object of store.list(prefix)) keys.push(object.key);
    return keys;
  };

  const sequenceOf = (record: unknown) => (record as { dynamodb: { SequenceNumber: string } }).dynamodb.SequenceNumber;

  beforeAll(async () => {
    // given a table with a stream and a few changes: 4 puts, an update, a delete
    streamArn = await createStreamTable(dynamo, table);
    await createBucket(s3, bucket);
    for (const id of ['1', '2', '3', '4']) {
      await dynamo.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: `PRODUCT#${id}` },
            sk: { S: 'PRODUCT' },
            name: { S: `item ${id}` },
            price: { N: '12345678901234567890.25' },
            blob: { B: new Uint8Array([1, 2, 255]) },
          },
        }),
      );
    }
    await dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'PRODUCT#2' }, sk: { S: 'PRODUCT' } },
        UpdateExpression: 'SET #n = :n',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': { S: 'renamed' } },
      }),
    );
    await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'PRODUCT#3' }, sk: { S: 'PRODUCT' } } }));
    shard = await readWholeShard(streams, streamArn);
    expect(shard.records).toHaveLength(6);
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await deleteBucket(s3, bucket);
  });

  it('archives exactly the records of the failed range, with full images, in Lambda shape (via a real SQS queue)', async () => {
    // given an on-failure message for records 2..5 (put 2, put 3, put 4, update 2) on the queue
    const { handler, metrics, store } = setUp();
    const queue = await createQueue(sqsClient(), uniqueName('fh-on-failure'));
    const range = shard.records.slice(1, 5);
    const [first, last] = [range[0], range[range.length - 1]].map((record) => record?.dynamodb?.SequenceNumber ?? '');
    await queue.send(onFailureBody(first as string, last as string, 4));

    // when the handler gets the message
    const response = await handler(await queue.receiveEvent(1));

    // then one gzip NDJSON object holds exactly those 4 records, identical to what Lambda would have been given
    expect(response.batchItemFailures).toEqual([]);
    const keys = await objectsUnder(store, `failures/${table}/`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^failures/${table}/\\d{4}/\\d{2}/\\d{2}/${shard.shardId}/${first}-${last}\\.ndjson\\.gz$`));
    const archive = await store.read(keys[0] as string);
    expect(archive.header).toMatchObject({
      kind: 'stream-batch',
      reason: 'RetryAttemptsExhausted',
      table,
      streamArn,
      shardId: shard.shardId,
      range: { start: first, end: last },
      lost: null,
      counts: { records: 4, expected: 4 },
    });
    expect(archive.records.map(sequenceOf)).toEqual(range.map((record) => record.dynamodb?.SequenceNumber));
    expect(archive.records).toEqual(range.map((record) => toLambdaRecord(record, { streamArn, awsRegion: 'us-east-1' })));
    expect(archive.records[3]).toMatchObject({
      eventName: 'MODIFY',
      dynamodb: {
        OldImage: { name: { S: 'item 2' } },
        NewImage: { name: { S: 'renamed' }, price: { N: '12345678901234567890.25' }, blob: { B: 'AQL/' } },
      },
    });
    expect(metrics.total('ArchivedRecords')).toBe(4);
  });

  it('writes one object when the same message is delivered twice', async () => {
    // given an on-failure message delivered twice by SQS (visibility timeout 0)
    const { handler, metrics, store } = setUp();
    const queue = await createQueue(sqsClient(), uniqueName('fh-dup'));
    const only = shard.records[5]?.dynamodb?.SequenceNumber as string;
    await queue.send(onFailureBody(only, only, 1));
    const firstDelivery = await queue.receiveEvent(1);
    const secondDelivery = await queue.receiveEvent(1);
    expect(secondDelivery.Records[0]?.body).toBe(firstDelivery.Records[0]?.body);

    // when both deliveries are handled
    await handler(firstDelivery);
    const response = await handler(secondDelivery);

    // then exactly one object exists for that range, and the second was a duplicate
    expect(response.batchItemFailures).toEqual([]);
    const keys = (await objectsUnder(store, `failures/${table}/`)).filter((key) => key.endsWith(`/${only}-${only}.ndjson.gz`));
    expect(keys).toHaveLength(1);
    expect(metrics.total('DuplicateMessages')).toBe(1);
    expect((await store.read(keys[0] as string)).records.map(sequenceOf)).toEqual([only]);
  });

  it('archives a poison record from the indexer DLQ with its reason', async () => {
    // given a DLQ message carrying a real stream record
    const { handler, store } = setUp();
    const record = toLambdaRecord(shard.records[0] as never, { streamArn, awsRegion: 'us-east-1' });
    const sequenceNumber = sequenceOf(record);
    const message = {
      kind: 'poison-record',
      reason: 'mapper_parsing_exception: failed to parse [price]',
      failedAt: new Date().toISOString(),
      table,
      streamArn,
      sequenceNumber,
      record,
    };
    const event: SQSEvent = await (async () => {
      const queue = await createQueue(sqsClient(), uniqueName('fh-dlq'));
      await queue.send(JSON.stringify(message));
      return queue.receiveEvent(1);
    })();

    // when handled
    const response = await handler(event);

    // then it is archived under poison/<seq>-<seq> with the reason and the record as is
    expect(response.batchItemFailures).toEqual([]);
    const [key] = (await objectsUnder(store, `failures/${table}/`)).filter((candidate) => candidate.includes('/poison/'));
    expect(key).toMatch(new RegExp(`/poison/${sequenceNumber}-${sequenceNumber}\\.ndjson\\.gz$`));
    const archive = await store.read(key as string);
    expect(archive.header).toMatchObject({
      kind: 'poison-record',
      reason: message.reason,
      range: { start: sequenceNumber, end: sequenceNumber },
    });
    expect(archive.records).toEqual([record]);
  });

  it('archives a lost range for a shard the stream does not have, without reading it', async () => {
    // given an on-failure record naming a shard that does not exist
    const { handler, store, logger, metrics } = setUp();
    const start = shard.records[0]?.dynamodb?.SequenceNumber as string;
    const body = onFailureBody(start, start, 1, 'shardId-00000000000000000000-00000000');

    // when handled
    const response = await handler({ Records: [sqsRecord(body, 'm-missing-shard')] });

    // then a lost-range object says so, and the error log points to verify --repair
    expect(response.batchItemFailures).toEqual([]);
    const [key] = (await objectsUnder(store, `failures/${table}/`)).filter((candidate) =>
      candidate.includes('/shardId-00000000000000000000-00000000/'),
    );
    const archive = await store.read(key as string);
    expect(archive.header).toMatchObject({
      kind: 'lost-range',
      lost: { condition: 'shard-not-found', range: { start, end: start } },
      counts: { records: 0 },
    });
    expect(metrics.total('LostRanges')).toBe(1);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('verify --repair'))).toBe(true);
  });

  it('archives a trimmed range: what is still in the shard is kept, the part before the shard start is lost', async () => {
    // given a range starting before the shard's first record (as after 24 h of retention)
    const { handler, store } = setUp();
    const before = (BigInt(shard.startingSequenceNumber) - 5n).toString();
    const firstRecord = shard.records[0]?.dynamodb?.SequenceNumber as string;

    // when handled
    await handler({ Records: [sqsRecord(onFailureBody(before, firstRecord, 2), 'm-trimmed')] });

    // then the surviving record is archived and the missing front is reported as trimmed
    const [key] = (await objectsUnder(store, `failures/${table}/`)).filter((candidate) => candidate.includes(`/${before}-`));
    const archive = await store.read(key as string);
    expect(archive.header).toMatchObject({
      kind: 'lost-range',
      lost: { condition: 'trimmed', range: { start: before, end: (BigInt(firstRecord) - 1n).toString() } },
    });
    expect(archive.records.map(sequenceOf)).toEqual([firstRecord]);
  });

  it('stops after a bounded number of GetRecords calls for a range past the end of an open shard', async () => {
    // given a range after the last record of the open shard (moto returns empty pages forever)
    const { handler, store } = setUp(5);
    const last = BigInt(shard.records[5]?.dynamodb?.SequenceNumber as string);
    const [start, end] = [(last + 100n).toString(), (last + 200n).toString()];

    // when handled
    const response = await handler({ Records: [sqsRecord(onFailureBody(start, end, 3), 'm-beyond')] });

    // then it returns, with a lost range after the call budget
    expect(response.batchItemFailures).toEqual([]);
    const [key] = (await objectsUnder(store, `failures/${table}/`)).filter((candidate) => candidate.includes(`/${start}-${end}.`));
    const archive = await store.read(key as string);
    expect(archive.header.lost).toMatchObject({ condition: 'range-incomplete', detail: expect.stringContaining('GetRecords calls: 5') });
  });

  it('reports the message for redelivery when the archive bucket is unavailable', async () => {
    // given a handler writing to a bucket that does not exist
    const logger = recordingLogger();
    const handler = createFailureHandler({
      config: configFactory(),
      streams,
      store: new S3ArchiveStore(s3, uniqueName('fh-missing')),
      objects: new S3FailedBatchObjects(s3),
      logger,
      metrics: recordingMetrics(),
      now: () => new Date(),
    });
    const start = shard.records[0]?.dynamodb?.SequenceNumber as string;

    // when handled
    const response = await handler({ Records: [sqsRecord(onFailureBody(start, start, 1), 'm-no-bucket')] });

    // then SQS is told to deliver it again
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-no-bucket' }]);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('SQS will deliver it again'))).toBe(true);
  });

  it('stores gzip NDJSON whose first line is the header and whose metadata lets `replay list` skip the download', async () => {
    // given every object written so far
    const { store } = setUp();
    const keys = await objectsUnder(store, `failures/${table}/`);
    expect(keys.length).toBeGreaterThanOrEqual(5);

    for (const key of keys) {
      // when its raw bytes and metadata are fetched
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await object.Body?.transformToByteArray();
      const metadata = await store.readMetadata(key);

      // then the bytes are gzip, line 1 is the header, one line per record follows, and the metadata agrees
      expect([bytes?.[0], bytes?.[1]]).toEqual([0x1f, 0x8b]);
      const lines = gunzipSync(bytes as Uint8Array)
        .toString('utf8')
        .trimEnd()
        .split('\n');
      const header = JSON.parse(lines[0] as string) as { kind: string; counts: { records: number } };
      expect(lines).toHaveLength(1 + header.counts.records);
      expect(metadata).toMatchObject({ kind: header.kind, records: header.counts.records, table });
    }
  });
});

function sqsRecord(body: string, messageId: string) {
  return {
    messageId,
    receiptHandle: messageId,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:on-failure',
    awsRegion: 'us-east-1',
  };
}
