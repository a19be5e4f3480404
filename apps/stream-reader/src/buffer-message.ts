import { createHash } from 'node:crypto';
import { documentId } from '@ddb-os/opensearch-mapping';
import { decodeRecord, sequenceNumberOf } from '@ddb-os/stream-decoding';
import type { BufferMessage } from './types';

/** SQS/SNS FIFO limit for MessageGroupId and MessageDeduplicationId. */
const MAX_FIFO_ID_LENGTH = 128;
/** Records that cannot be decoded share one group: the writer dead-letters them with the reason. */
export const UNDECODABLE_GROUP = 'undecodable';
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * A stream record (Lambda shape) as a FIFO message: the group is the document id (one group per
 * document keeps its changes in order, documents run in parallel), the deduplication id is the
 * record's eventID, so a re-delivered stream record is dropped by SQS within its 5-minute window.
 *
 * @example
 * const message = bufferMessage(event.Records[0], 0, ['pk', 'sk']);
 */
export function bufferMessage(record: unknown, position: number, keyAttributes: readonly string[]): BufferMessage {
  const body = JSON.stringify(record);
  return {
    position,
    body,
    bytes: Buffer.byteLength(body),
    groupId: messageGroupId(record, keyAttributes),
    deduplicationId: deduplicationId(record, body),
  };
}

/** The document id of the record's item, shortened to fit a FIFO group id. */
export function messageGroupId(record: unknown, keyAttributes: readonly string[]): string {
  const decoding = decodeRecord(record);
  if (!decoding.ok) return UNDECODABLE_GROUP;
  let id: string;
  try {
    id = documentId(decoding.change.keys, keyAttributes);
  } catch {
    return UNDECODABLE_GROUP;
  }
  return id.length <= MAX_FIFO_ID_LENGTH ? id : `g.${sha256(id)}`;
}

/** The eventID (unique per change), else the sequence number, else a digest of the record. */
export function deduplicationId(record: unknown, body: string): string {
  const candidate = record as { eventID?: unknown } | null;
  if (typeof candidate?.eventID === 'string' && FIFO_ID.test(candidate.eventID)) return candidate.eventID;
  const sequenceNumber = sequenceNumberOf(record);
  if (sequenceNumber !== undefined) return `s.${sequenceNumber}`;
  return `d.${sha256(body)}`;
}
