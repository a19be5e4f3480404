import type { Context } from 'aws-lambda';
import type { LogLevel, RunnerLogger, ShardDescription, StreamRecord } from '../../src/types';

export const STREAM_ARN = 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2026-01-01T00:00:00.000';
export const SHARD_ID = 'shardId-00000001700000000000-aaaaaaaa';

/** A GetRecords record (SDK shape) with the given sequence number. */
export function streamRecord(
  sequenceNumber: string | number,
  overrides: { createdAt?: Date; pk?: string; eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' } = {},
): StreamRecord {
  const pk = overrides.pk ?? `item-${sequenceNumber}`;
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: overrides.eventName ?? 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      ApproximateCreationDateTime: overrides.createdAt ?? new Date('2026-01-01T00:00:10.000Z'),
      Keys: { pk: { S: pk } },
      NewImage: { pk: { S: pk }, n: { N: String(sequenceNumber) } },
      SequenceNumber: String(sequenceNumber),
      SizeBytes: 20,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** Records with consecutive sequence numbers starting at `first`. */
export function streamRecords(first: number, count: number, overrides: Parameters<typeof streamRecord>[1] = {}): StreamRecord[] {
  return Array.from({ length: count }, (_, index) => streamRecord(first + index, overrides));
}

export function shard(shardId: string, options: { parent?: string; closed?: boolean } = {}): ShardDescription {
  return {
    shardId,
    parentShardId: options.parent,
    startingSequenceNumber: '100',
    endingSequenceNumber: options.closed ? '999' : undefined,
  };
}

/** A logger that keeps every line, for assertions. */
export function memoryLogger(): RunnerLogger & { lines: { level: LogLevel; message: string; data: Record<string, unknown> }[] } {
  const lines: { level: LogLevel; message: string; data: Record<string, unknown> }[] = [];
  return { lines, log: (level, message, data = {}) => lines.push({ level, message, data }) };
}

/** A minimal Lambda context for handlers called directly in tests. */
export function fakeContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'f',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f',
    memoryLimitInMB: '128',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/f',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
