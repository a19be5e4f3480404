import type { _Record, AttributeValue as StreamsAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/products/stream/2026-01-01T00:00:00.000';
export const AWS_REGION = 'us-east-1';

type Image = Record<string, AttributeValue>;

let nextSequence = 100000000000000000000n;

/** A fresh 21-digit sequence number, increasing across calls. */
export function sequenceNumber(): string {
  nextSequence += 1n;
  return nextSequence.toString();
}

/** A product key image. */
export function productKeys(productId = 'p-1'): Image {
  return { pk: { S: `PRODUCT#${productId}` }, sk: { S: 'PRODUCT' } };
}

/** A product item image with every common field. */
export function productImage(productId = 'p-1', overrides: Image = {}): Image {
  return {
    ...productKeys(productId),
    entityType: { S: 'product' },
    productId: { S: productId },
    name: { S: 'Lamp' },
    price: { N: '12.5' },
    ...overrides,
  };
}

interface RecordOptions {
  readonly eventID?: string;
  readonly sequenceNumber?: string;
  readonly approximateCreationDateTime?: number;
  readonly keys?: Image;
  readonly newImage?: Image;
  readonly oldImage?: Image;
  readonly userIdentity?: { type: string; principalId: string };
}

function lambdaRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', options: RecordOptions): DynamoDBRecord {
  const keys = options.keys ?? productKeys();
  const record: DynamoDBRecord = {
    eventID: options.eventID ?? `event-${Math.random().toString(16).slice(2)}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: AWS_REGION,
    dynamodb: {
      ApproximateCreationDateTime: options.approximateCreationDateTime ?? 1767225600,
      Keys: keys,
      ...(options.newImage === undefined ? {} : { NewImage: options.newImage }),
      ...(options.oldImage === undefined ? {} : { OldImage: options.oldImage }),
      SequenceNumber: options.sequenceNumber ?? sequenceNumber(),
      SizeBytes: 128,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: STREAM_ARN,
  };
  return options.userIdentity === undefined ? record : { ...record, userIdentity: options.userIdentity };
}

/** A Lambda INSERT record; the NewImage defaults to a product. */
export function insertRecord(options: RecordOptions = {}): DynamoDBRecord {
  return lambdaRecord('INSERT', { newImage: productImage(), ...options });
}

/** A Lambda MODIFY record with both images. */
export function modifyRecord(options: RecordOptions = {}): DynamoDBRecord {
  return lambdaRecord('MODIFY', {
    oldImage: productImage('p-1', { price: { N: '10' } }),
    newImage: productImage(),
    ...options,
  });
}

/** A Lambda REMOVE record made by a user (OldImage set). */
export function removeRecord(options: RecordOptions = {}): DynamoDBRecord {
  return lambdaRecord('REMOVE', { oldImage: productImage(), ...options });
}

/** A Lambda REMOVE record made by the TTL process. */
export function ttlRemoveRecord(options: RecordOptions = {}): DynamoDBRecord {
  return removeRecord({ userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }, ...options });
}

/** An INSERT whose NewImage is the product plus the given attributes. */
export function insertWith(attributes: Image, options: RecordOptions = {}): DynamoDBRecord {
  return insertRecord({ newImage: productImage('p-1', attributes), ...options });
}

/** A Lambda event of the given records. */
export function streamEvent(...records: unknown[]): DynamoDBStreamEvent {
  return { Records: records as DynamoDBRecord[] };
}

/** A deep copy of a record with `mutate` applied: for building malformed records. */
export function malformed(record: DynamoDBRecord, mutate: (copy: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  mutate(copy);
  return copy;
}

/** A GetRecords record as the DynamoDB Streams SDK returns it (Date timestamp, Uint8Array binaries). */
export function sdkRecord(options: {
  readonly eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly keys: Record<string, StreamsAttributeValue>;
  readonly newImage?: Record<string, StreamsAttributeValue>;
  readonly oldImage?: Record<string, StreamsAttributeValue>;
  readonly createdAt?: Date;
  readonly sequenceNumber?: string;
  readonly userIdentity?: { Type: string; PrincipalId: string };
}): _Record {
  return {
    eventID: 'sdk-event-1',
    eventName: options.eventName ?? 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: AWS_REGION,
    dynamodb: {
      ApproximateCreationDateTime: options.createdAt ?? new Date('2026-01-01T00:00:00.750Z'),
      Keys: options.keys,
      NewImage: options.newImage,
      OldImage: options.oldImage,
      SequenceNumber: options.sequenceNumber ?? sequenceNumber(),
      SizeBytes: 64,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...(options.userIdentity === undefined ? {} : { userIdentity: options.userIdentity }),
  };
}

/** What a record looks like after travelling as JSON (as Lambda delivers it). */
export function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
