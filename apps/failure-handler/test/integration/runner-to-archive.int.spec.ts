import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { sqsOnFailureDestination, StreamRunner, silentLogger } from '@ddb-os/stream-runner';
import { createStreamTable, deleteTable, dynamoClient, s3Client, sqsClient, streamsClient, uniqueName } from '@ddb-os/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { S3FailedBatchObjects } from '../../src/failed-batch-objects';
import { createFailureHandler } from '../../src/handler';
import { configFactory, recordingLogger, recordingMetrics } from '../helpers/factories';
import { createBucket, createQueue, deleteBucket, readWholeShard } from '../helpers/stack';

jest.setTimeout(90_000);

/**
 * The whole given-up-batch path, as in AWS: the stream runner (Lambda's event source mapping) exhausts
 * its retries and sends its on-failure record to a real queue; the failure handler receives it from that
 * queue, re-reads the range from the stream and archives exactly the batch's records with full images.
 */
describe('a batch given up by the stream runner ends in the archive', () => {
  const dynamo = dynamoClient();
  const streams = streamsClient();
  const s3 = s3Client();
  const sqs = sqsClient();
  const table = uniqueName('fh-runner');
  const bucket = uniqueName('fh-runner-archive');
  const queueName = uniqueName('fh-on-failure');
  const checkpointDirectory = mkdtempSync(path.join(tmpdir(), 'fh-runner-'));
  let queueUrl: string;

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await deleteBucket(s3, bucket);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    rmSync(checkpointDirectory, { recursive: true, force: true });
  });

  it('archives the exact records of the batch whose retries were exhausted', async () => {
    // given: three changes on a stream whose consumer always fails (OpenSearch unreachable), one retry allowed
    const streamArn = await createStreamTable(dynamo, table);
    await createBucket(s3, bucket);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl ?? '';
    for (const id of ['1', '2', '3']) {
      await dynamo.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `PRODUCT#${id}` }, sk: { S: 'PRODUCT' }, name: { S: `item ${id}` }, price: { N: '99999999999999999999.5' } },
        }),
      );
    }
    const runner = new StreamRunner({
      handler: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
      },
      streamArn,
      checkpointFile: path.join(checkpointDirectory, 'checkpoints.json'),
      batchSize: 10,
      maxRetryAttempts: 1,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 100,
      pollIntervalMs: 100,
      onFailure: sqsOnFailureDestination(sqs, queueUrl),
      logger: silentLogger,
    });
    const discarded = new Promise<{ delivered: boolean }>((resolve) => runner.once('discarded', resolve));

    // when: the runner gives the batch up, and the failure handler receives what the queue holds
    await runner.start();
    const giveUp = await discarded;
    await runner.stop();
    const event = await (await createQueue(sqs, queueName)).receiveEvent(10);
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
    const response = await handler(event);

    // then: one Lambda-shaped on-failure message, archived as one object holding exactly the three records
    expect(giveUp.delivered).toBe(true);
    expect(event.Records).toHaveLength(1);
    expect(JSON.parse(event.Records[0]?.body ?? '{}')).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted' },
      DDBStreamBatchInfo: { streamArn, batchSize: 3 },
    });
    expect(response.batchItemFailures).toEqual([]);
    const keys: string[] = [];
    for await (const object of store.list(`failures/${table}/`)) keys.push(object.key);
    expect(keys).toHaveLength(1);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keys[0] }));
    const lines = gunzipSync((await object.Body?.transformToByteArray()) as Uint8Array)
      .toString('utf8')
      .trimEnd()
      .split('\n');
    const records = lines
      .slice(1)
      .map((line) => JSON.parse(line) as { dynamodb: { SequenceNumber: string; NewImage?: Record<string, unknown> } });
    const shard = await readWholeShard(streams, streamArn);
    expect(records.map((record) => record.dynamodb.SequenceNumber)).toEqual(shard.records.map((record) => record.dynamodb?.SequenceNumber));
    expect(records.map((record) => record.dynamodb.NewImage?.['price'])).toEqual([
      { N: '99999999999999999999.5' },
      { N: '99999999999999999999.5' },
      { N: '99999999999999999999.5' },
    ]);
  });
});
