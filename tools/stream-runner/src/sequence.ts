import type { StreamRecord } from './types';

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
