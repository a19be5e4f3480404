import { describeError, parkPoison, poisonRecordMessage, sqsBatches, type DeadLetterSender } from '@ddb-os/indexing-core';
import type { LoggerPort } from '@ddb-os/lambda-runtime';
import { sequenceNumberOf } from '@ddb-os/stream-decoding';
import { bufferMessage } from './buffer-message';
import type { BufferMessage, BufferPublisher } from './types';

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
  for (const chunk of sqsBatches(fitting, (message) => message.bytes, deps.maxMessageBytes)) {
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
    if (refused.size > 0)
      deps.logger.warn('buffer refused records: Lambda will deliver them and the rest of the batch again', {
        ...fields,
        refused: refused.size,
        firstSequenceNumber: sequenceNumberOf(records[firstRefused]) ?? null,
      });
    return refused;
  } catch (error) {
    deps.logger.warn('buffer publish failed: Lambda will deliver the rest of the batch again', { ...fields, error: describeError(error) });
    return new Set(chunk.map((message) => message.position));
  }
}

async function deadLetterOversized(
  oversized: readonly BufferMessage[],
  records: readonly unknown[],
  deps: PublishDependencies,
  unpublished: Set<number>,
): Promise<number> {
  const at = (deps.now ?? (() => new Date()))();
  const poison = oversized.map((message) => {
    const record = records[message.position];
    const reason = `stream record is ${message.bytes} bytes, over the buffer message limit of ${deps.maxMessageBytes} bytes: not buffered; replay re-reads the item from the table`;
    return { message: poisonRecordMessage(record, reason, at, sequenceNumberOf(record)), source: message.position };
  });
  const refused = await parkPoison(poison, deps);
  refused.forEach((position) => unpublished.add(position));
  return poison.length - refused.length;
}
