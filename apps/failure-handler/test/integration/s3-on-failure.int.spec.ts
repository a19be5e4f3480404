import { PutObjectCommand } from '@aws-sdk/client-s3';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { s3Client, sqsClient, uniqueName } from '@ddb-os/testing';
import { S3FailedBatchObjects } from '../../src/failed-batch-objects';
import { createFailureHandler } from '../../src/handler';
import {
  configFactory,
  fakeStreamsClient,
  lambdaRecordFactory,
  ON_FAILURE_OBJECT_KEY,
  onFailureObjectFactory,
  recordingLogger,
  recordingMetrics,
  s3NotificationFactory,
} from '../helpers/factories';
import { createBucket, createQueue, deleteBucket } from '../helpers/stack';

jest.setTimeout(60_000);

describe('S3 on-failure destination against S3Proxy and ElasticMQ', () => {
  const s3 = s3Client();
  const sqs = sqsClient();
  const onFailureBucket = uniqueName('fh-on-failure');
  const archiveBucket = uniqueName('fh-archive');
  // Lambda's key holds the shard id and a timestamp with ':'-free dots; a space and '+' make the URL-encoding matter.
  const objectKey = `${ON_FAILURE_OBJECT_KEY} retry+1`;

  beforeAll(async () => {
    await createBucket(s3, onFailureBucket);
    await createBucket(s3, archiveBucket);
  });

  afterAll(async () => {
    await deleteBucket(s3, onFailureBucket);
    await deleteBucket(s3, archiveBucket);
  });

  it('archives exactly the records of the object Lambda wrote, without a reader on the stream', async () => {
    // given the object in Lambda's shape, and its notification waiting in the on-failure queue
    const start = '100000000000000000100';
    const end = '100000000000000000300';
    const records = [
      lambdaRecordFactory(start),
      lambdaRecordFactory('100000000000000000200', 'PRODUCT#2'),
      lambdaRecordFactory(end, 'PRODUCT#3'),
    ];
    await s3.send(new PutObjectCommand({ Bucket: onFailureBucket, Key: objectKey, Body: onFailureObjectFactory(records, { start, end }) }));
    const queue = await createQueue(sqs, uniqueName('fh-on-failure-queue'));
    await queue.send(JSON.stringify(s3NotificationFactory(onFailureBucket, objectKey)));
    const streams = fakeStreamsClient(() => {
      throw new Error('the S3 path must not read the stream');
    });
    const store = new S3ArchiveStore(s3, archiveBucket);
    const handler = createFailureHandler({
      config: configFactory({ archive: { bucket: archiveBucket, prefix: 'failures/', gzip: true } }),
      streams: streams.client,
      store,
      objects: new S3FailedBatchObjects(s3),
      logger: recordingLogger(),
      metrics: recordingMetrics(),
      now: () => new Date(),
    });

    // when the handler gets what the queue delivers
    const event = await queue.receiveEvent(1);
    const response = await handler(event);

    // then one archive holds exactly the payload's records, and the stream was never called
    expect(event.Records).toHaveLength(1);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(streams.calls).toEqual([]);
    const keys: string[] = [];
    for await (const object of store.list('failures/')) keys.push(object.key);
    expect(keys).toHaveLength(1);
    const archive = await store.read(keys[0] as string);
    expect(archive.records).toEqual(records);
    expect(archive.header).toMatchObject({
      kind: 'stream-batch',
      range: { start, end },
      counts: { records: 3, expected: 3 },
      details: { onFailureObject: { bucket: onFailureBucket, key: objectKey } },
    });
  });
});
