import type { StreamRecord } from './types';

/**
 * Orders two sequence numbers of one shard (decimal strings of up to 40 digits).
 * @example compareSequenceNumbers('900', '1000') // -1
 */
export function compareSequenceNumbers(a: string, b: string): -1 | 0 | 1 {
  const left = BigInt(a);
  const right = BigInt(b);
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/** The record's sequence number; GetRecords always sets it, so a missing one is a broken stream. */
export function sequenceNumberOf(record: StreamRecord): string {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (sequenceNumber === undefined || sequenceNumber === '') {
    throw new TypeError(`Stream record ${record.eventID ?? '(no eventID)'} has no dynamodb.SequenceNumber`);
  }
  return sequenceNumber;
}

/** ApproximateCreationDateTime in epoch ms, when the record carries it. */
export function createdAtMs(record: StreamRecord): number | undefined {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return created === undefined ? undefined : created.getTime();
}
