import type { _Record, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ArchiveMetadata, PutOnceResult } from '@ddb-os/failure-archive';
import type { SQSRecord } from 'aws-lambda';
import type { FailureHandlerConfig } from '../../src/config';
import type { ArchiveDependencies } from '../../src/archive-message';
import type { LoggerPort } from '@ddb-os/lambda-runtime';
import type { HandlerMetrics } from '../../src/types';

export const STREAM_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';
export const SHARD_ID = 'shardId-00000001700000000000-abcdef01';

/** Lambda's on-failure record (SQS destination body), as an object. */
export function onFailureRecordFactory(
  overrides: { start?: string; end?: string; batchSize?: number; shardId?: string; streamArn?: string; timestamp?: string } = {},
) {
  return {
    requestContext: {
      requestId: '316aa6d0-8154-4a0c-b6b4-9d0d7b7d1c3e',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:indexer',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: overrides.timestamp ?? '2026-03-04T05:06:07.890Z',
    DDBStreamBatchInfo: {
      shardId: overrides.shardId ?? SHARD_ID,
      startSequenceNumber: overrides.start ?? '100000000000000000100',
      endSequenceNumber: overrides.end ?? '100000000000000000300',
      approximateArrivalOfFirstRecord: '2026-03-04T05:00:00Z',
      approximateArrivalOfLastRecord: '2026-03-04T05:00:01Z',
      batchSize: overrides.batchSize ?? 3,
      streamArn: overrides.streamArn ?? STREAM_ARN,
    },
  };
}

/** A Lambda-shaped stream record. */
export function lambdaRecordFactory(sequenceNumber: string, pk = 'PRODUCT#1') {
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    eventSourceARN: STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: 1_772_600_000,
      Keys: { pk: { S: pk }, sk: { S: 'PRODUCT' } },
      NewImage: { pk: { S: pk }, sk: { S: 'PRODUCT' }, name: { S: 'x' } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 60,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** The object Lambda's S3 on-failure destination writes: the invocation record with the whole failed event in `payload` (a JSON string). */
export function onFailureObjectFactory(records: readonly unknown[], overrides: Parameters<typeof onFailureRecordFactory>[0] = {}): string {
  return JSON.stringify({
    ...onFailureRecordFactory({ batchSize: records.length, ...overrides }),
    payload: JSON.stringify({ Records: records }),
  });
}

/** The S3 event notification of an object created in `bucket` (key URL-encoded as S3 sends it). */
export function s3NotificationFactory(bucket: string, key: string, eventName = 'ObjectCreated:Put') {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: '2026-03-04T05:06:08.000Z',
        eventName,
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'on-failure',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'), size: 1024, sequencer: '0065' },
        },
      },
    ],
  };
}

/** A Lambda on-failure object key: aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<UUID>. */
export const ON_FAILURE_OBJECT_KEY = `aws/lambda/8f0e9a1c-esm/${SHARD_ID}/2026/03/04/2026-03-04T05.06.07-3b2a1c0d`;

/** What the indexer puts in its DLQ. */
export function poisonMessageFactory(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'poison-record',
    reason: 'mapper_parsing_exception: failed to parse field [price] of type [double]',
    failedAt: '2026-03-04T05:06:07.890Z',
    table: 'orders',
    streamArn: STREAM_ARN,
    sequenceNumber: '100000000000000000200',
    record: lambdaRecordFactory('100000000000000000200'),
    ...overrides,
  };
}

/** A GetRecords record (SDK shape). */
export function streamRecordFactory(sequenceNumber: string, pk = 'PRODUCT#1'): _Record {
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      ApproximateCreationDateTime: new Date('2026-03-04T05:00:00Z'),
      Keys: { pk: { S: pk }, sk: { S: 'PRODUCT' } },
      NewImage: { pk: { S: pk }, sk: { S: 'PRODUCT' }, name: { S: 'x' } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 60,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** An SQS event record carrying `body`. */
export function sqsRecordFactory(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  return {
    messageId: 'message-1',
    receiptHandle: 'receipt-1',
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.parse('2026-03-04T05:06:08.000Z')),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.parse('2026-03-04T05:06:09.000Z')),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:on-failure',
    awsRegion: 'eu-west-1',
    ...overrides,
  };
}

export function configFactory(overrides: Partial<FailureHandlerConfig> = {}): FailureHandlerConfig {
  return {
    archive: { bucket: 'archive', prefix: 'failures/', gzip: false },
    s3Endpoint: undefined,
    dynamoDbEndpoint: undefined,
    tableName: undefined,
    region: 'eu-west-1',
    maxGetRecordsCalls: 10,
    metricsNamespace: 'Test',
    serviceName: 'failure-handler-test',
    ...overrides,
  };
}

export interface RecordingLogger extends LoggerPort {
  readonly lines: { level: 'debug' | 'info' | 'warn' | 'error'; message: string; attributes: Record<string, unknown> }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  return {
    lines,
    debug: (message, attributes = {}) => void lines.push({ level: 'debug', message, attributes }),
    info: (message, attributes = {}) => void lines.push({ level: 'info', message, attributes }),
    warn: (message, attributes = {}) => void lines.push({ level: 'warn', message, attributes }),
    error: (message, attributes = {}) => void lines.push({ level: 'error', message, attributes }),
  };
}

export interface RecordingMetrics extends HandlerMetrics {
  readonly values: Map<string, number[]>;
  total(name: string): number;
  published: number;
}

export function recordingMetrics(): RecordingMetrics {
  const values = new Map<string, number[]>();
  const add = (name: string, value: number) => values.set(name, [...(values.get(name) ?? []), value]);
  const recorder: RecordingMetrics = {
    values,
    published: 0,
    count: add,
    milliseconds: add,
    publish: () => {
      recorder.published += 1;
    },
    total: (name) => (values.get(name) ?? []).reduce((sum, value) => sum + value, 0),
  };
  return recorder;
}

/** An in-memory archive with the store's write-once semantics; `failWith` simulates S3 being down. */
export class InMemoryArchiveStore {
  readonly objects = new Map<string, { body: Uint8Array; metadata: ArchiveMetadata }>();
  failWith: Error | undefined;

  async findArchived(key: string, digest: string): Promise<string | undefined> {
    this.throwIfDown();
    return this.objects.get(key)?.metadata.digest === digest ? key : undefined;
  }

  async putOnce(key: string, body: Uint8Array, metadata: ArchiveMetadata): Promise<PutOnceResult> {
    this.throwIfDown();
    const existing = this.objects.get(key);
    if (existing?.metadata.digest === metadata.digest) return { outcome: 'duplicate', key };
    const target = existing ? `${key}.other` : key;
    this.objects.set(target, { body, metadata });
    return { outcome: 'written', key: target };
  }

  private throwIfDown(): void {
    if (this.failWith) throw this.failWith;
  }
}

/** Objects of an S3 on-failure bucket, in memory; reading one that is absent fails like S3's NoSuchKey. */
export class InMemoryFailedBatchObjects {
  readonly objects = new Map<string, string>();
  readonly reads: string[] = [];

  put(bucket: string, key: string, body: string): void {
    this.objects.set(`${bucket}/${key}`, body);
  }

  async read(bucket: string, key: string): Promise<string> {
    this.reads.push(`${bucket}/${key}`);
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw serviceError('NoSuchKey', `no object ${bucket}/${key}`);
    return body;
  }
}

type Command = { constructor: { name: string }; input: Record<string, unknown> };
export type StreamsResponder = (commandName: string, input: Record<string, unknown>) => unknown;

/** A DynamoDB Streams client answering from `respond`; records every call. */
export function fakeStreamsClient(respond: StreamsResponder): {
  client: DynamoDBStreamsClient;
  calls: { name: string; input: Record<string, unknown> }[];
} {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: Command) => {
      calls.push({ name: command.constructor.name, input: command.input });
      return respond(command.constructor.name, command.input);
    },
  } as unknown as DynamoDBStreamsClient;
  return { client, calls };
}

/** An error shaped like the SDK's service exceptions. */
export function serviceError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export function dependenciesFactory(overrides: Partial<ArchiveDependencies> = {}): ArchiveDependencies & {
  store: InMemoryArchiveStore;
  objects: InMemoryFailedBatchObjects;
  logger: RecordingLogger;
  metrics: RecordingMetrics;
} {
  return {
    config: configFactory(),
    streams: fakeStreamsClient(() => {
      throw new Error('no stream expected in this test');
    }).client,
    store: new InMemoryArchiveStore(),
    objects: new InMemoryFailedBatchObjects(),
    logger: recordingLogger(),
    metrics: recordingMetrics(),
    now: () => new Date('2026-03-04T05:10:00.000Z'),
    ...overrides,
  } as ArchiveDependencies & {
    store: InMemoryArchiveStore;
    objects: InMemoryFailedBatchObjects;
    logger: RecordingLogger;
    metrics: RecordingMetrics;
  };
}
