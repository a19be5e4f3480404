import { tableNameFromStreamArn, type DeadLetterSender, type PoisonRecordMessage } from '@ddb-os/indexing-core';
import { bufferMessage } from './buffer-message';
import type { BufferMessage, BufferPublisher } from './types';

const ENTRIES_PER_CALL = 10;

export interface PublishDependencies {
  readonly publisher: BufferPublisher;
  readonly deadLetter: DeadLetterSender;
  readonly keyAttributes: readonly string[];
  readonly maxMessageBytes: number;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly now?: () => Date;
}

export interface PublishResult {
  /** Positions of the records that are neither in the buffer nor dead-lettered: they must be read again. */
  readonly unpublished: ReadonlySet<number>;
  readonly published: number;
  readonly deadLettered: number;
}

/**
 * Publishes a stream batch to the buffer in stream order, ten records (within the byte limit) per
 * call. It stops at the first call that fails or refuses an entry: the records from there on are
 * read again by Lambda, and a later change of a document is not published ahead of an earlier one.
 * A record larger than the buffer's message limit is dead-lettered with the reason (the item is
 * re-read from the table by replay); the buffer never receives a truncated record.
 */
export async function publishRecords(records: readonly unknown[], deps: PublishDependencies): Promise<PublishResult> {
  const messages = records.map((record, position) => bufferMessage(record, position, deps.keyAttributes));
  const oversized = messages.filter((message) => message.bytes > deps.maxMessageBytes);
  const unpublished = new Set<number>();
  const deadLettered = await deadLetterOversized(oversized, records, deps, unpublished);

  let published = 0;
  const fitting = messages.filter((message) => message.bytes <= deps.maxMessageBytes);
  for (const chunk of chunksWithinLimit(fitting, deps.maxMessageBytes)) {
    const refused = await deps.publisher.publishBatch(chunk).catch((error: Error) => {
      deps.log('buffer publish failed; Lambda will deliver the rest of the batch again', { buffer: deps.publisher.description, error: error.message });
      return new Set(chunk.map((message) => message.position));
    });
    published += chunk.length - refused.size;
    if (refused.size > 0) {
      const firstRefused = Math.min(...refused);
      fitting.filter((message) => message.position >= firstRefused).forEach((message) => unpublished.add(message.position));
      break;
    }
  }
  return { unpublished, published, deadLettered };
}

async function deadLetterOversized(oversized: readonly BufferMessage[], records: readonly unknown[], deps: PublishDependencies, unpublished: Set<number>): Promise<number> {
  if (oversized.length === 0) return 0;
  const at = (deps.now ?? (() => new Date()))();
  const entries = oversized.map((message) => ({ message, poison: oversizedMessage(records[message.position], message.bytes, deps.maxMessageBytes, at) }));
  const refused = new Set(await deps.deadLetter.send(entries.map((entry) => entry.poison)).catch(() => entries.map((entry) => entry.poison)));
  for (const entry of entries) {
    if (refused.has(entry.poison)) unpublished.add(entry.message.position);
    else deps.log('record too large for the buffer: dead-lettered', { reason: entry.poison.reason, sequenceNumber: entry.poison.sequenceNumber ?? null });
  }
  return entries.length - refused.size;
}

function oversizedMessage(record: unknown, bytes: number, maxBytes: number, at: Date): PoisonRecordMessage {
  const candidate = record as { eventSourceARN?: unknown; dynamodb?: { SequenceNumber?: unknown } } | null;
  const streamArn = typeof candidate?.eventSourceARN === 'string' ? candidate.eventSourceARN : undefined;
  const sequenceNumber = candidate?.dynamodb?.SequenceNumber;
  return {
    kind: 'poison-record',
    reason: `stream record is ${bytes} bytes, over the buffer message limit of ${maxBytes} bytes: not buffered; replay re-reads the item from the table`,
    failedAt: at.toISOString(),
    table: tableNameFromStreamArn(streamArn),
    streamArn,
    sequenceNumber: typeof sequenceNumber === 'string' ? sequenceNumber : undefined,
    record,
  };
}

function* chunksWithinLimit(messages: readonly BufferMessage[], maxBytes: number): Generator<BufferMessage[]> {
  let chunk: BufferMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (chunk.length === ENTRIES_PER_CALL || (chunk.length > 0 && bytes + message.bytes > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += message.bytes;
  }
  if (chunk.length > 0) yield chunk;
}
