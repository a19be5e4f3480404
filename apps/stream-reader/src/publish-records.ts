import { describeError, parkPoison, tableNameFromStreamArn, type DeadLetterSender, type LoggerPort, type PoisonRecordMessage } from '@ddb-os/indexing-core';
import { bufferMessage } from './buffer-message';
import type { BufferMessage, BufferPublisher } from './types';

const ENTRIES_PER_CALL = 10;

export interface PublishDependencies {
  readonly publisher: BufferPublisher;
  readonly deadLetter: DeadLetterSender;
  readonly keyAttributes: readonly string[];
  readonly maxMessageBytes: number;
  readonly logger: LoggerPort;
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
    const refused = await publishChunk(chunk, records, deps);
    published += chunk.length - refused.size;
    if (refused.size > 0) {
      const firstRefused = Math.min(...refused);
      fitting.filter((message) => message.position >= firstRefused).forEach((message) => unpublished.add(message.position));
      break;
    }
  }
  return { unpublished, published, deadLettered };
}

/** Publishes one call's worth; resolves with the positions not published, each failure logged at warn with its first sequence number. */
async function publishChunk(chunk: readonly BufferMessage[], records: readonly unknown[], deps: PublishDependencies): Promise<Set<number>> {
  const fields = { buffer: deps.publisher.description, firstSequenceNumber: sequenceNumberOf(records[chunk[0]?.position ?? -1]) ?? null };
  try {
    const refused = await deps.publisher.publishBatch(chunk);
    const firstRefused = Math.min(...refused);
    if (refused.size > 0) deps.logger.warn('buffer refused records: Lambda will deliver them and the rest of the batch again', { ...fields, refused: refused.size, firstSequenceNumber: sequenceNumberOf(records[firstRefused]) ?? null });
    return refused;
  } catch (error) {
    deps.logger.warn('buffer publish failed: Lambda will deliver the rest of the batch again', { ...fields, error: describeError(error) });
    return new Set(chunk.map((message) => message.position));
  }
}

async function deadLetterOversized(oversized: readonly BufferMessage[], records: readonly unknown[], deps: PublishDependencies, unpublished: Set<number>): Promise<number> {
  if (oversized.length === 0) return 0;
  const at = (deps.now ?? (() => new Date()))();
  const entries = oversized.map((message) => ({ message, poison: oversizedMessage(records[message.position], message.bytes, deps.maxMessageBytes, at) }));
  const refused = await parkPoison(entries.map((entry) => entry.poison), deps);
  for (const entry of entries) if (refused.has(entry.poison)) unpublished.add(entry.message.position);
  return entries.length - refused.size;
}

function oversizedMessage(record: unknown, bytes: number, maxBytes: number, at: Date): PoisonRecordMessage {
  const candidate = record as { eventSourceARN?: unknown } | null;
  const streamArn = typeof candidate?.eventSourceARN === 'string' ? candidate.eventSourceARN : undefined;
  return {
    kind: 'poison-record',
    reason: `stream record is ${bytes} bytes, over the buffer message limit of ${maxBytes} bytes: not buffered; replay re-reads the item from the table`,
    failedAt: at.toISOString(),
    table: tableNameFromStreamArn(streamArn),
    streamArn,
    sequenceNumber: sequenceNumberOf(record),
    record,
  };
}

function sequenceNumberOf(record: unknown): string | undefined {
  const sequenceNumber = (record as { dynamodb?: { SequenceNumber?: unknown } } | null | undefined)?.dynamodb?.SequenceNumber;
  return typeof sequenceNumber === 'string' ? sequenceNumber : undefined;
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
