import type { PoisonRecordMessage, TruncatedPart } from './dead-letter';
import { cutBefore } from '@ddb-os/lambda-runtime';

/** No reason needs more: OpenSearch quotes whole field values in its reasons (hundreds of KB). */
export const MAX_POISON_REASON_CHARS = 8 * 1024;

/** A poison message as the body to send, or why no body of it fits. */
export type FittedMessage = { readonly ok: true; readonly body: string } | { readonly ok: false; readonly reason: string };

/**
 * The JSON body of a poison message within `maxBytes`. Parts are cut in this order until it fits:
 * the reason is bounded to {@link MAX_POISON_REASON_CHARS} (with a marker), the record's images are
 * dropped, the record is reduced to its event fields, keys and sequence number, and the reason is
 * shortened to the room left. Keys, sequence number, table and stream ARN are always kept; a message
 * whose keys alone do not fit is refused (the caller reports the record for redelivery).
 *
 * @example
 * const fitted = fitMessage(message, 256 * 1024);
 * if (fitted.ok) send(fitted.body);
 */
export function fitMessage(message: PoisonRecordMessage, maxBytes: number): FittedMessage {
  const full = JSON.stringify(message);
  if (byteLength(full) <= maxBytes) return { ok: true, body: full };

  const parts: TruncatedPart[] = [];
  let candidate: PoisonRecordMessage = message;
  const shorterReason = truncateReason(message.reason, MAX_POISON_REASON_CHARS);
  if (shorterReason !== message.reason) {
    parts.push('reason');
    candidate = { ...candidate, reason: shorterReason };
    const body = marked(candidate, parts);
    if (byteLength(body) <= maxBytes) return { ok: true, body };
  }
  for (const [part, reduce] of RECORD_REDUCTIONS) {
    const record = reduce(candidate.record);
    if (record === candidate.record) continue;
    parts.push(part);
    candidate = { ...candidate, record };
    const body = marked(candidate, parts);
    if (byteLength(body) <= maxBytes) return { ok: true, body };
  }
  return reasonToRoomLeft({ ...candidate, reason: message.reason }, parts, maxBytes);
}

const RECORD_REDUCTIONS: ReadonlyArray<readonly [TruncatedPart, (record: unknown) => unknown]> = [
  ['images', withoutImages],
  ['record', essentials],
];

/** Shortens the reason to whatever room the rest of the message leaves. */
function reasonToRoomLeft(message: PoisonRecordMessage, parts: TruncatedPart[], maxBytes: number): FittedMessage {
  const withParts = parts.includes('reason') ? parts : [...parts, 'reason' as const];
  const fits = (chars: number) => byteLength(marked({ ...message, reason: truncateReason(message.reason, chars) }, withParts)) <= maxBytes;
  let low = 0;
  let high = Math.min(message.reason.length, MAX_POISON_REASON_CHARS);
  if (!fits(low)) {
    const bytes = byteLength(marked({ ...message, reason: truncateReason(message.reason, 0) }, withParts));
    return {
      ok: false,
      reason: `poison message is ${bytes} bytes even cut down to its keys and sequence number, over the dead-letter limit of ${maxBytes} bytes (DLQ_MAX_MESSAGE_BYTES)`,
    };
  }
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return { ok: true, body: marked({ ...message, reason: truncateReason(message.reason, low) }, withParts) };
}

function marked(message: PoisonRecordMessage, parts: readonly TruncatedPart[]): string {
  return JSON.stringify({ ...message, truncated: true, truncatedParts: parts });
}

/** At most `maxChars` characters of the reason, then a marker with its full length. */
function truncateReason(reason: string, maxChars: number): string {
  if (reason.length <= maxChars) return reason;
  return `${cutBefore(reason, maxChars)} … [reason truncated: ${reason.length} characters in all]`;
}

function withoutImages(record: unknown): unknown {
  const dynamodb = streamDataOf(record);
  if (dynamodb === undefined || !('NewImage' in dynamodb || 'OldImage' in dynamodb)) return record;
  const { NewImage: _newImage, OldImage: _oldImage, ...keptStreamData } = dynamodb;
  return { ...(record as object), dynamodb: keptStreamData };
}

const EVENT_FIELDS = ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'eventSourceARN', 'userIdentity'] as const;
const STREAM_FIELDS = ['Keys', 'SequenceNumber', 'ApproximateCreationDateTime', 'SizeBytes', 'StreamViewType'] as const;
const MAX_UNSTRUCTURED_RECORD_CHARS = 1024;

/** The record's event fields, keys and sequence number; the start of a record that is text (an unreadable queue body). */
function essentials(record: unknown): unknown {
  if (typeof record === 'string') {
    return record.length <= MAX_UNSTRUCTURED_RECORD_CHARS
      ? record
      : `${cutBefore(record, MAX_UNSTRUCTURED_RECORD_CHARS)} … [record truncated: ${record.length} characters in all]`;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const dynamodb = streamDataOf(record);
  const reduced: Record<string, unknown> = pick(record as Record<string, unknown>, EVENT_FIELDS);
  if (dynamodb !== undefined) reduced['dynamodb'] = pick(dynamodb, STREAM_FIELDS);
  return Object.keys(reduced).length === Object.keys(record).length && dynamodb === undefined ? record : reduced;
}

function streamDataOf(record: unknown): Record<string, unknown> | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const { dynamodb } = record as { dynamodb?: unknown };
  return typeof dynamodb === 'object' && dynamodb !== null && !Array.isArray(dynamodb) ? (dynamodb as Record<string, unknown>) : undefined;
}

function pick(source: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => Object.hasOwn(source, name)).map((name) => [name, source[name]]));
}

const byteLength = (text: string): number => Buffer.byteLength(text);
