import type { z } from 'zod';
import { formatPath } from './attribute-path';
import { REQUIRED_STREAM_VIEW_TYPE, TTL_IDENTITY } from './constants';
import { MalformedEventError, StreamDecodingError } from './errors';
import { imageToJsonDirect, resolveNumberPolicy, toJsonSafe } from './json-safe';
import { dynamoDbStreamRecordSchema, isWellFormedRecordEnvelope, type DynamoDbStreamRecord } from './schemas';
import type {
  AttributeValue,
  DecodedBatch,
  DecodedChange,
  DecodeOptions,
  JsonObject,
  NumberPolicy,
  RecordDecoding,
  RejectedRecord,
} from './types';

/**
 * Decodes a Lambda DynamoDB Streams event. Each record is validated on its own: a bad record lands
 * in `rejected` with the reason (field path and problem) while the others decode; nothing is dropped.
 * Both lists keep input order.
 *
 * @throws MalformedEventError only when `event` has no `Records` array; InvalidOptionError for an unknown `numberPolicy`.
 * @example
 * const { changes, rejected } = decodeBatch(event, { numberPolicy: 'string' });
 * for (const change of changes) console.log(change.eventName, change.keys, change.newImage);
 */
export function decodeBatch(event: unknown, options: DecodeOptions = {}): DecodedBatch {
  resolveNumberPolicy(options.numberPolicy);
  const records = recordsOf(event);
  const changes: DecodedChange[] = [];
  const rejected: RejectedRecord[] = [];
  for (const record of records) {
    const decoding = decodeRecord(record, options);
    if (decoding.ok) changes.push(decoding.change);
    else rejected.push(decoding.rejected);
  }
  return { changes, rejected };
}

/**
 * Decodes one Lambda DynamoDB Streams record; never throws for a bad record.
 *
 * @throws InvalidOptionError for an unknown `numberPolicy`.
 *
 * @example
 * const decoding = decodeRecord(event.Records[0]);
 * if (!decoding.ok) console.warn(decoding.rejected.reason);
 */
export function decodeRecord(raw: unknown, options: DecodeOptions = {}): RecordDecoding {
  const change = decodeWellFormedRecord(raw, resolveNumberPolicy(options.numberPolicy));
  return change === undefined ? decodeRecordChecked(raw, options) : { ok: true, change };
}

/**
 * The records DynamoDB sends, without zod and with one walk per image: `undefined` for anything else (a bad
 * record, an unusual shape), which {@link decodeRecordChecked} then decodes or rejects, naming what is wrong.
 * Whenever it returns a change, it is the one the checked path returns (property-tested).
 */
function decodeWellFormedRecord(raw: unknown, policy: NumberPolicy): DecodedChange | undefined {
  if (!isWellFormedRecordEnvelope(raw)) return undefined;
  const body = raw.dynamodb;
  if (missingImage(raw) !== undefined) return undefined;
  const keys = imageToJsonDirect(body.Keys, policy);
  const newImage = body.NewImage === undefined ? undefined : imageToJsonDirect(body.NewImage, policy);
  const oldImage = body.OldImage === undefined ? undefined : imageToJsonDirect(body.OldImage, policy);
  if (
    keys === undefined ||
    (body.NewImage !== undefined && newImage === undefined) ||
    (body.OldImage !== undefined && oldImage === undefined)
  ) {
    return undefined;
  }
  return changeOf(raw, raw, { keys, newImage, oldImage });
}

/** {@link decodeRecord} through the zod schema and the three-walk image conversion: the reference, with every reason. */
export function decodeRecordChecked(raw: unknown, options: DecodeOptions = {}): RecordDecoding {
  resolveNumberPolicy(options.numberPolicy);
  const parsed = dynamoDbStreamRecordSchema.safeParse(raw);
  if (!parsed.success) return reject(raw, `invalid stream record: ${describeIssues(parsed.error)}`);
  const missing = missingImage(parsed.data);
  if (missing !== undefined) return reject(raw, missing);
  try {
    return { ok: true, change: toChange(parsed.data, raw, options) };
  } catch (error) {
    if (error instanceof StreamDecodingError) return reject(raw, error.message);
    // A bug here must not take the whole batch down: the record still goes to `rejected`, reason kept.
    return reject(raw, `unexpected decoding failure: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function recordsOf(event: unknown): unknown[] {
  if (typeof event !== 'object' || event === null) {
    throw new MalformedEventError(`expected an object with a Records array, got ${event === null ? 'null' : typeof event}`);
  }
  const records: unknown = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records)) throw new MalformedEventError('the event has no Records array');
  return records;
}

function missingImage(record: DynamoDbStreamRecord): string | undefined {
  const { Keys, NewImage } = record.dynamodb;
  if (Keys === undefined) return `${record.eventName} record has no dynamodb.Keys: ${viewTypeHint(record)}`;
  if (record.eventName !== 'REMOVE' && NewImage === undefined) {
    return `${record.eventName} record has no dynamodb.NewImage: ${viewTypeHint(record)}`;
  }
  return undefined;
}

function viewTypeHint(record: DynamoDbStreamRecord): string {
  const { StreamViewType } = record.dynamodb;
  return `the stream must use StreamViewType ${REQUIRED_STREAM_VIEW_TYPE}${StreamViewType === undefined ? '' : ` (this record says ${StreamViewType})`}`;
}

function toChange(record: DynamoDbStreamRecord, raw: unknown, options: DecodeOptions): DecodedChange {
  const body = record.dynamodb;
  const decodeImage = (image: Record<string, AttributeValue> | undefined, name: string): JsonObject | undefined =>
    image === undefined ? undefined : toJsonSafe(image, { numberPolicy: options.numberPolicy, pathPrefix: name });
  return changeOf(record, raw, {
    keys: decodeImage(body.Keys, 'Keys') ?? {},
    newImage: decodeImage(body.NewImage, 'NewImage'),
    oldImage: decodeImage(body.OldImage, 'OldImage'),
  });
}

type DecodedImages = Pick<DecodedChange, 'keys' | 'newImage' | 'oldImage'>;

function changeOf(record: DynamoDbStreamRecord, raw: unknown, images: DecodedImages): DecodedChange {
  return {
    eventName: record.eventName,
    eventId: record.eventID,
    eventSourceArn: record.eventSourceARN,
    sequenceNumber: record.dynamodb.SequenceNumber,
    approximateCreationSeconds: Math.floor(record.dynamodb.ApproximateCreationDateTime),
    keys: images.keys,
    newImage: images.newImage,
    oldImage: images.oldImage,
    isTtlDelete: isTtlDelete(record),
    raw,
  };
}

function isTtlDelete(record: DynamoDbStreamRecord): boolean {
  return (
    record.eventName === 'REMOVE' &&
    record.userIdentity?.type === TTL_IDENTITY.type &&
    record.userIdentity.principalId === TTL_IDENTITY.principalId
  );
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${formatPath(issue.path) || '(record)'}: ${issue.message}`).join('; ');
}

function reject(raw: unknown, reason: string): { ok: false; rejected: RejectedRecord } {
  return { ok: false, rejected: { raw, reason, sequenceNumber: readSequenceNumber(raw), eventId: readEventId(raw) } };
}

function readEventId(raw: unknown): string | undefined {
  const eventId = isObject(raw) ? raw['eventID'] : undefined;
  return typeof eventId === 'string' ? eventId : undefined;
}

function readSequenceNumber(raw: unknown): string | undefined {
  const body = isObject(raw) ? raw['dynamodb'] : undefined;
  const sequenceNumber = isObject(body) ? body['SequenceNumber'] : undefined;
  return typeof sequenceNumber === 'string' ? sequenceNumber : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
