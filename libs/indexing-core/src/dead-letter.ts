import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describeError } from './errors';
import { truncateText, type LogFields, type LoggerPort } from './logger';
import { fitMessage } from './poison-message';

/** What the indexer parks in the dead-letter queue: the full stream record and why it could not be indexed. */
export interface PoisonRecordMessage {
  readonly kind: 'poison-record';
  readonly reason: string;
  readonly failedAt: string;
  readonly table: string | undefined;
  readonly streamArn: string | undefined;
  readonly sequenceNumber: string | undefined;
  /**
   * The stream record exactly as Lambda delivered it, unless the message would exceed the queue's
   * size limit: then its images are dropped, and if that is not enough it is cut down to its keys,
   * sequence number and event fields (see `truncatedParts`).
   */
  readonly record: unknown;
  /** True when parts were cut to fit the queue; replay re-reads the item from the table either way. */
  readonly truncated?: boolean;
  /** What was cut, in order: `images`, `reason` (shortened, with a marker), `record` (reduced to keys and event fields). */
  readonly truncatedParts?: readonly TruncatedPart[];
}

export type TruncatedPart = 'images' | 'reason' | 'record';

/** A message the dead-letter queue did not take, and why (the SQS error code and message). */
export interface RefusedMessage {
  readonly message: PoisonRecordMessage;
  readonly reason: string;
}

export interface DeadLetterSender {
  /**
   * Sends every message; resolves with the ones the queue did not accept and why (the caller must not
   * lose them). Queue failures (`QueueDoesNotExist`, throttling, network) resolve as refusals.
   */
  send(messages: readonly PoisonRecordMessage[]): Promise<RefusedMessage[]>;
}

const ENTRIES_PER_BATCH = 10;

/**
 * Creates a sender that parks poison records in an SQS queue, ten per SendMessageBatch call, each
 * message and each call within `maxMessageBytes` (parts are cut to fit, see {@link PoisonRecordMessage}).
 *
 * @example
 * const sender = createDeadLetterSender(new SQSClient({}), process.env['DLQ_URL'] ?? '', 256 * 1024);
 * const refused = await sender.send([message]); // [] when the queue took it
 */
export function createDeadLetterSender(sqs: SQSClient, queueUrl: string, maxMessageBytes: number): DeadLetterSender {
  return {
    async send(messages) {
      const refused: RefusedMessage[] = [];
      const fitting: Omit<Entry, 'id'>[] = [];
      for (const message of messages) {
        const fitted = fitMessage(message, maxMessageBytes);
        if (fitted.ok) fitting.push({ body: fitted.body, message });
        else refused.push({ message, reason: fitted.reason });
      }
      for (const chunk of chunksWithinLimit(fitting, maxMessageBytes)) refused.push(...(await sendChunk(sqs, queueUrl, chunk)));
      return refused;
    },
  };
}

interface Entry {
  readonly id: string;
  readonly body: string;
  readonly message: PoisonRecordMessage;
}

async function sendChunk(sqs: SQSClient, queueUrl: string, chunk: readonly Entry[]): Promise<RefusedMessage[]> {
  try {
    const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((entry) => ({ Id: entry.id, MessageBody: entry.body })) }));
    const failures = new Map((result.Failed ?? []).map((failure) => [failure.Id ?? '', `${failure.Code ?? 'Failed'}: ${failure.Message ?? 'no message'}`]));
    return chunk.flatMap((entry) => {
      const reason = failures.get(entry.id);
      return reason === undefined ? [] : [{ message: entry.message, reason }];
    });
  } catch (error) {
    const reason = `SendMessageBatch failed: ${describeError(error)}`;
    return chunk.map((entry) => ({ message: entry.message, reason }));
  }
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

/**
 * Parks poison messages in the dead-letter queue and logs each: `warn` when parked (reason and
 * sequence number), `error` when the queue refused it (with the queue's error: the record must be
 * delivered again). Resolves with the refused messages.
 *
 * @example
 * const refused = await parkPoison([message], { deadLetter, logger });
 * if (refused.has(message)) reportForRedelivery(message.sequenceNumber);
 */
export async function parkPoison(
  messages: readonly PoisonRecordMessage[],
  deps: { readonly deadLetter: DeadLetterSender; readonly logger: LoggerPort },
  fieldsOf: (message: PoisonRecordMessage) => LogFields = () => ({}),
): Promise<Set<PoisonRecordMessage>> {
  if (messages.length === 0) return new Set();
  const refusals = new Map((await deps.deadLetter.send(messages)).map((refusal) => [refusal.message, refusal.reason]));
  for (const message of messages) {
    const fields = { sequenceNumber: message.sequenceNumber ?? null, table: message.table ?? null, reason: truncateText(message.reason), ...fieldsOf(message) };
    const refusal = refusals.get(message);
    if (refusal === undefined) deps.logger.warn('record dead-lettered', fields);
    else deps.logger.error('dead-letter queue refused a poison record: it will be delivered again', { ...fields, deadLetterError: refusal });
  }
  return new Set(refusals.keys());
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
export function tableNameFromStreamArn(streamArn: string | undefined): string | undefined {
  return streamArn?.match(/:table\/([^/]+)\/stream\//)?.[1];
}
