import type { DynamoDBRecord } from 'aws-lambda';
import { parseJsonText, zodIssuesText } from '@ddb-os/node-io';
import { z } from 'zod';
import { onFailureRecordSchema, type OnFailureRecord } from './messages';

const payloadRecordSchema = z.looseObject({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE'], { message: 'must be INSERT, MODIFY or REMOVE' }),
  dynamodb: z.looseObject({ SequenceNumber: z.string().regex(/^\d{1,40}$/, 'must be a decimal sequence number'), Keys: z.looseObject({}) }),
});
const payloadEventSchema = z.looseObject({ Records: z.array(payloadRecordSchema) });

/** An on-failure object, read: the record of the failed batch and, when its payload is usable, the batch's records. */
export type FailedBatchObject =
  | { readonly kind: 'on-failure'; readonly record: OnFailureRecord; readonly records: readonly DynamoDBRecord[] }
  /** The payload is missing or unusable: the records must be read back from the stream. */
  | { readonly kind: 'on-failure-without-payload'; readonly record: OnFailureRecord; readonly reason: string }
  | { readonly kind: 'unparseable'; readonly reason: string };

/**
 * Reads the object an S3 on-failure destination writes: Lambda's invocation record (requestContext,
 * DDBStreamBatchInfo, …) with the whole failed event in `payload` (a JSON string of `{"Records":[…]}`;
 * an object is accepted too). Keeps exactly the payload's records, checked against the batch info
 * (sequence numbers inside its range). Never throws.
 *
 * @example
 * const read = parseFailedBatchObject(await objects.read(bucket, key));
 * if (read.kind === 'on-failure') console.log(read.records.length);
 */
export function parseFailedBatchObject(text: string): FailedBatchObject {
  const parsedText = parseJsonText(text);
  if (!parsedText.ok) return { kind: 'unparseable', reason: `object is ${parsedText.reason}` };
  const json = parsedText.value;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { kind: 'unparseable', reason: 'object is not a JSON object' };
  const parsed = onFailureRecordSchema.safeParse({ ...json, kind: 'on-failure' });
  if (!parsed.success)
    return {
      kind: 'unparseable',
      reason: `object is not a Lambda on-failure invocation record: ${zodIssuesText(parsed.error, '(object)')}`,
    };
  const record = parsed.data;
  const records = payloadRecords((json as Record<string, unknown>)['payload'], record);
  return typeof records === 'string'
    ? { kind: 'on-failure-without-payload', record, reason: records }
    : { kind: 'on-failure', record, records };
}

/** The payload's records, or why they cannot be used. */
function payloadRecords(payload: unknown, record: OnFailureRecord): DynamoDBRecord[] | string {
  if (payload === undefined || payload === null) return 'the invocation record has no payload';
  let event: unknown = payload;
  if (typeof payload === 'string') {
    const json = parseJsonText(payload);
    if (!json.ok) return `payload is ${json.reason}`;
    event = json.value;
  }
  const parsed = payloadEventSchema.safeParse(event);
  if (!parsed.success) return `payload is not a DynamoDB stream event: ${zodIssuesText(parsed.error, '(object)')}`;
  const { startSequenceNumber, endSequenceNumber } = record.DDBStreamBatchInfo;
  const outside = parsed.data.Records.find((streamRecord) => {
    const sequence = BigInt(streamRecord.dynamodb.SequenceNumber);
    return sequence < BigInt(startSequenceNumber) || sequence > BigInt(endSequenceNumber);
  });
  if (outside)
    return `payload record ${outside.dynamodb.SequenceNumber} lies outside the batch range ${startSequenceNumber}-${endSequenceNumber}`;
  return parsed.data.Records as unknown as DynamoDBRecord[];
}
