import type { _Record, AttributeValue as StreamsAttributeValue, Identity, StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type {
  AttributeValue as LambdaAttributeValue,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  StreamRecord as LambdaStreamRecord,
} from 'aws-lambda';
import { binaryToBase64 } from './binary';
import { DYNAMODB_EVENT_SOURCE } from './constants';
import type { LambdaRecordContext } from './types';

type LambdaImage = Record<string, LambdaAttributeValue>;

/**
 * Converts a GetRecords record (`@aws-sdk/client-dynamodb-streams`) into the exact record JSON
 * Lambda delivers: `eventSource: 'aws:dynamodb'`, `eventSourceARN` and `awsRegion` added,
 * `ApproximateCreationDateTime` as epoch seconds (floored), binaries as base64 strings.
 * Fields missing from the input stay missing (`decodeBatch` then rejects the record, naming them).
 *
 * @example
 * const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator }));
 * const event = toLambdaEvent(Records.map((r) => toLambdaRecord(r, { streamArn, awsRegion: 'us-east-1' })));
 */
export function toLambdaRecord(record: _Record, ctx: LambdaRecordContext): DynamoDBRecord {
  return withoutUndefined({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: DYNAMODB_EVENT_SOURCE,
    awsRegion: record.awsRegion ?? ctx.awsRegion,
    dynamodb: record.dynamodb === undefined ? undefined : toLambdaStreamRecord(record.dynamodb),
    eventSourceARN: ctx.streamArn,
    userIdentity: record.userIdentity === undefined ? undefined : toLambdaIdentity(record.userIdentity),
  });
}

/**
 * Wraps Lambda-shaped records into a Lambda DynamoDB Streams event.
 *
 * @example
 * const event = toLambdaEvent([toLambdaRecord(record, { streamArn, awsRegion })]);
 */
export function toLambdaEvent(records: readonly DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: [...records] };
}

function toLambdaStreamRecord(streamRecord: StreamRecord): LambdaStreamRecord {
  return withoutUndefined({
    ApproximateCreationDateTime: toEpochSeconds(streamRecord.ApproximateCreationDateTime),
    Keys: toLambdaImage(streamRecord.Keys),
    NewImage: toLambdaImage(streamRecord.NewImage),
    OldImage: toLambdaImage(streamRecord.OldImage),
    SequenceNumber: streamRecord.SequenceNumber,
    SizeBytes: streamRecord.SizeBytes,
    StreamViewType: streamRecord.StreamViewType,
  });
}

function toEpochSeconds(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : Math.floor(date.getTime() / 1000);
}

function toLambdaIdentity(identity: Identity): { type?: string; principalId?: string } {
  return withoutUndefined({ type: identity.Type, principalId: identity.PrincipalId });
}

function toLambdaImage(image: Record<string, StreamsAttributeValue> | undefined): LambdaImage | undefined {
  if (image === undefined) return undefined;
  return mapValues(image, toLambdaAttributeValue);
}

function toLambdaAttributeValue(value: StreamsAttributeValue): LambdaAttributeValue {
  // The SDK's JSON parser keeps an attribute named "__proto__" but loses its value (undefined): pass anything
  // that is not an AttributeValue object through unchanged, so the decoder rejects the record with a reason
  // instead of this conversion throwing and stalling the whole page.
  if (!isObject(value)) return value as LambdaAttributeValue;
  if (value.B !== undefined) return { B: binaryToBase64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(binaryToBase64) };
  if (value.M !== undefined) return { M: mapValues(value.M, toLambdaAttributeValue) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  // S, N, SS, NS, NULL, BOOL have the same JSON form in both shapes; unknown members pass through for the decoder to reject.
  return { ...value } as LambdaAttributeValue;
}

function mapValues<T, U>(source: Record<string, T>, convert: (value: T) => U): Record<string, U> {
  const target: Record<string, U> = {};
  for (const [key, value] of Object.entries(source)) {
    // defineProperty keeps an attribute named "__proto__" as data, so the decoder can see and reject it.
    Object.defineProperty(target, key, { value: convert(value), enumerable: true, writable: true, configurable: true });
  }
  return target;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
