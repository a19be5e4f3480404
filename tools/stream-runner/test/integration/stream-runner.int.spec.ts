import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createStreamTable, deleteTable, dynamoClient, sqsClient, uniqueName, waitFor } from '@ddb-os/testing';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { defaultSqsDestination } from '../../src/aws-clients';
import { CheckpointStore } from '../../src/checkpoint-store';
import type { StreamRunner } from '../../src/stream-runner';
import type { BatchResultEvent, OnFailureRecord } from '../../src/types';
import { fastRunner, recordingHandler, tempCheckpointFile } from '../helpers/runner';

jest.setTimeout(60_000);

const WORKSPACE = path.resolve(__dirname, '../../../..');
/** Intervals short enough for a quick suite, long enough not to hammer the shared moto server. */
const QUICK = { pollIntervalMs: 25, idlePollMaxMs: 100, describeIntervalMs: 500, retryBaseDelayMs: 10, retryMaxDelayMs: 50 } as const;

const putItem = (client: DynamoDBClient, table: string, sk: string, value: string) =>
  client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'product-1' }, sk: { S: sk }, value: { S: value } } }));

const sequenceNumbers = (events: DynamoDBStreamEvent[]): bigint[] =>
  events.flatMap((event) => event.Records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0')));

describe('StreamRunner against the local moto DynamoDB Streams', () => {
  const dynamo = dynamoClient();
  const sqs = sqsClient();
  const tables: string[] = [];
  const queues: string[] = [];
  const runners: StreamRunner[] = [];

  const newTable = async (): Promise<{ table: string; streamArn: string }> => {
    const table = uniqueName('stream-runner');
    tables.push(table);
    return { table, streamArn: await createStreamTable(dynamo, table) };
  };
  const started = async (runner: StreamRunner): Promise<StreamRunner> => {
    runners.push(runner);
    await runner.start();
    return runner;
  };

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await Promise.all(tables.splice(0).map((table) => deleteTable(dynamo, table)));
    await Promise.all(queues.splice(0).map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl }))));
  });

  it('delivers the changes of the table in order, in the Lambda event shape', async () => {
    // given
    const { table, streamArn } = await newTable();
    const recorder = recordingHandler();
    await started(fastRunner({ ...QUICK, handler: recorder.handler, tableName: table, checkpointFile: await tempCheckpointFile() }));
    // when
    await putItem(dynamo, table, 'A', 'one');
    await dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'product-1' }, sk: { S: 'A' } },
        UpdateExpression: 'SET #v = :v',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':v': { S: 'two' } },
      }),
    );
    await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'product-1' }, sk: { S: 'A' } } }));
    await waitFor(() => recorder.delivered().length === 3, { timeoutMs: 15_000, description: 'three records delivered' });
    // then
    const records = recorder.events.flatMap((event) => event.Records);
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const numbers = sequenceNumbers(recorder.events);
    expect([...numbers].sort((a, b) => (a < b ? -1 : 1))).toEqual(numbers);
    expect(records[1]).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: { pk: { S: 'product-1' }, sk: { S: 'A' } },
        OldImage: { value: { S: 'one' } },
        NewImage: { value: { S: 'two' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(Number.isInteger(records[0]?.dynamodb?.ApproximateCreationDateTime)).toBe(true);
  });

  it('after a partial batch failure resends from the failed record and checkpoints the end', async () => {
    // given the third record fails once
    const { table, streamArn } = await newTable();
    for (const sk of ['A', 'B', 'C', 'D']) await putItem(dynamo, table, sk, sk);
    const recorder = recordingHandler((event, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: event.Records[2]?.dynamodb?.SequenceNumber ?? '' }] } : undefined,
    );
    const checkpointFile = await tempCheckpointFile();
    const results: BatchResultEvent[] = [];
    const runner = fastRunner({ ...QUICK, handler: recorder.handler, tableName: table, checkpointFile });
    runner.on('batch', (result) => results.push(result));
    // when
    await started(runner);
    await waitFor(() => results.length === 2, { timeoutMs: 15_000, description: 'the retry' });
    // then
    const [first, second] = recorder.batches();
    expect(first).toHaveLength(4);
    expect(second).toEqual(first?.slice(2));
    expect(results[0]).toMatchObject({ outcome: 'partial', checkpoint: first?.[1] });
    await runner.stop();
    const shardId = runner.status().shards[0]?.shardId ?? '';
    expect((await CheckpointStore.open(checkpointFile)).get(streamArn, shardId)?.sequenceNumber).toBe(first?.[3]);
  });

  it('sends Lambda’s on-failure record to a real SQS queue when retries are exhausted, then moves on', async () => {
    // given a handler that always throws on the first item, and a queue
    const { table, streamArn } = await newTable();
    const created = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('stream-runner-failures') }));
    const queueUrl = created.QueueUrl ?? '';
    queues.push(queueUrl);
    await putItem(dynamo, table, 'poison', 'x');
    const recorder = recordingHandler((event) => {
      if (event.Records.some((record) => record.dynamodb?.Keys?.['sk']?.S === 'poison')) throw new Error('cannot index');
      return undefined;
    });
    const runner = await started(
      fastRunner({
        ...QUICK,
        handler: recorder.handler,
        tableName: table,
        functionName: 'indexer',
        maxRetryAttempts: 1,
        onFailure: defaultSqsDestination(queueUrl),
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    const message = await waitFor(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }))).Messages?.[0] ?? false,
      { timeoutMs: 20_000, description: 'the on-failure message' },
    );
    await putItem(dynamo, table, 'healthy', 'y');
    await waitFor(() => recorder.delivered().length === 3, { timeoutMs: 15_000, description: 'the next record after the discarded one' });
    // then
    const record = JSON.parse(message.Body ?? '{}') as OnFailureRecord;
    const poisonSequenceNumber = recorder.delivered()[0];
    expect(record).toStrictEqual({
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:indexer',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: runner.status().shards[0]?.shardId,
        startSequenceNumber: poisonSequenceNumber,
        endSequenceNumber: poisonSequenceNumber,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        batchSize: 1,
        streamArn,
      },
    });
    expect(recorder.delivered()).toEqual([poisonSequenceNumber, poisonSequenceNumber, expect.any(String)]);
  });

  it('resumes after the checkpoint on restart: nothing lost, nothing processed twice', async () => {
    // given a first run that processed two changes and stopped
    const { table } = await newTable();
    const checkpointFile = await tempCheckpointFile();
    const first = recordingHandler();
    const firstRun = await started(fastRunner({ ...QUICK, handler: first.handler, tableName: table, checkpointFile }));
    for (const sk of ['A', 'B']) await putItem(dynamo, table, sk, sk);
    await waitFor(() => first.delivered().length === 2, { timeoutMs: 15_000, description: 'the first run' });
    await firstRun.stop();
    // when changes happen while the runner is down, and it restarts
    for (const sk of ['C', 'D', 'E']) await putItem(dynamo, table, sk, sk);
    const second = recordingHandler();
    await started(fastRunner({ ...QUICK, handler: second.handler, tableName: table, checkpointFile }));
    await waitFor(() => second.delivered().length === 3, { timeoutMs: 15_000, description: 'the second run' });
    // then
    const keysOf = (recorder: ReturnType<typeof recordingHandler>) =>
      recorder.events.flatMap((event) => event.Records.map((record) => record.dynamodb?.Keys?.['sk']?.S));
    expect(keysOf(first)).toEqual(['A', 'B']);
    expect(keysOf(second)).toEqual(['C', 'D', 'E']);
  });

  it('runs as a CLI with a handler module path, and exits 0 with its checkpoint saved on SIGINT', async () => {
    // given
    const { table, streamArn } = await newTable();
    const checkpointFile = await tempCheckpointFile();
    const recordFile = `${checkpointFile}.records`;
    await putItem(dynamo, table, 'A', 'a');
    // when
    const cli = spawn(
      process.execPath,
      [
        path.join(WORKSPACE, 'node_modules/tsx/dist/cli.mjs'),
        '--tsconfig',
        'tsconfig.base.json',
        'tools/stream-runner/src/cli.ts',
        'run',
        '--table',
        table,
        '--handler',
        'tools/stream-runner/test/fixtures/recording-handler.ts#handler',
        '--checkpoint-file',
        checkpointFile,
        '--poll-interval-ms',
        '25',
        '--log-format',
        'json',
      ],
      { cwd: WORKSPACE, env: { ...process.env, RECORD_FILE: recordFile }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    await waitFor(() => existsSync(recordFile) && readFileSync(recordFile, 'utf8').trim() !== '', {
      timeoutMs: 30_000,
      description: `the CLI handler was called; output so far:\n${output}`,
    });
    cli.kill('SIGINT');
    const code = await exited;
    // then
    expect({ code, output }).toMatchObject({ code: 0 });
    const delivered = JSON.parse(readFileSync(recordFile, 'utf8').trim().split('\n')[0] ?? '[]') as string[];
    const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as {
      streams: Record<string, { shards: Record<string, { sequenceNumber?: string }> }>;
    };
    expect(Object.values(saved.streams[streamArn]?.shards ?? {}).map((shard) => shard.sequenceNumber)).toEqual([delivered[0]]);
    expect(output).toContain('"msg":"batch"');
  });
});
