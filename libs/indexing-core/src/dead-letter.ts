import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What the indexer parks in the dead-letter queue: the full stream record and why it could not be indexed. */
export interface PoisonRecordMessage {
  readonly kind: 'poison-record';
  readonly reason: string;
  readonly failedAt: string;
  readonly table: string | undefined;
  readonly streamArn: string | undefined;
  readonly sequenceNumber: string | undefined;
  /** The stream record exactly as Lambda delivered it; images are dropped only when the message would exceed SQS's size limit. */
  readonly record: unknown;
  /** True when `record` lost its images to fit the queue; replay re-reads the item from the table either way. */
  readonly truncated?: boolean;
}

export interface DeadLetterSender {
  /** Sends every message; resolves with the ones the queue did not accept (the caller must not lose them). */
  send(messages: readonly PoisonRecordMessage[]): Promise<PoisonRecordMessage[]>;
}

const ENTRIES_PER_BATCH = 10;

/**
 * Creates a sender that parks poison records in an SQS queue, ten per SendMessageBatch call and
 * within the queue's byte limit.
 */
export function createDeadLetterSender(sqs: SQSClient, queueUrl: string, maxMessageBytes: number): DeadLetterSender {
  return {
    async send(messages) {
      const bodies = messages.map((message) => fitToLimit(message, maxMessageBytes));
      const rejected: PoisonRecordMessage[] = [];
      for (const chunk of chunksWithinLimit(bodies, maxMessageBytes)) {
        rejected.push(...(await sendChunk(sqs, queueUrl, chunk).then(
          (failedIds) => chunk.filter((entry) => failedIds.has(entry.id)).map((entry) => entry.message),
          () => chunk.map((entry) => entry.message),
        )));
      }
      return rejected;
    },
  };
}

interface Entry {
  readonly id: string;
  readonly body: string;
  readonly message: PoisonRecordMessage;
}

async function sendChunk(sqs: SQSClient, queueUrl: string, chunk: readonly Entry[]): Promise<Set<string>> {
  const result = await sqs.send(
    new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((entry) => ({ Id: entry.id, MessageBody: entry.body })) }),
  );
  return new Set((result.Failed ?? []).map((failure) => failure.Id ?? ''));
}

function fitToLimit(message: PoisonRecordMessage, maxBytes: number): Omit<Entry, 'id'> {
  const body = JSON.stringify(message);
  if (Buffer.byteLength(body) <= maxBytes) return { body, message };
  const truncated = { ...message, truncated: true, record: withoutImages(message.record) };
  return { body: JSON.stringify(truncated), message };
}

function withoutImages(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return record;
  const { dynamodb, ...rest } = record as { dynamodb?: Record<string, unknown> };
  if (!dynamodb) return record;
  const { NewImage: _newImage, OldImage: _oldImage, ...keptStreamData } = dynamodb;
  return { ...rest, dynamodb: keptStreamData };
}

function* chunksWithinLimit(entries: readonly Omit<Entry, 'id'>[], maxBytes: number): Generator<Entry[]> {
  let chunk: Entry[] = [];
  let bytes = 0;
  for (const [index, entry] of entries.entries()) {
    const size = Buffer.byteLength(entry.body);
    if (chunk.length === ENTRIES_PER_BATCH || (chunk.length > 0 && bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push({ ...entry, id: `m${index}` });
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
export function tableNameFromStreamArn(streamArn: string | undefined): string | undefined {
  return streamArn?.match(/:table\/([^/]+)\/stream\//)?.[1];
}
