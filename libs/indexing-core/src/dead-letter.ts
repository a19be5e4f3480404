import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PoisonRecordMessage } from '@ddb-os/sync-contracts';
import { describeError } from './errors';
import { truncateText, type LogFields, type LoggerPort } from '@ddb-os/lambda-runtime';
import { fitMessage } from './poison-message';
import { sqsBatches } from './sqs-batches';

export {
  poisonRecordMessageSchema,
  type PoisonRecordMessage,
  type ReceivedPoisonRecordMessage,
  type TruncatedPart,
} from '@ddb-os/sync-contracts';

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

/**
 * Creates a sender that parks poison records in an SQS queue, ten per SendMessageBatch call, each
 * message and each call within `maxMessageBytes` (parts are cut to fit, see {@link PoisonRecordMessage}).
 * `sqs` builds the client on the first poison record: most invocations have none, and loading the SQS client
 * at cold start would cost every one of them (Lambda init time).
 *
 * @example
 * const sender = createDeadLetterSender(async () => new SQSClient({}), process.env['DLQ_URL'] ?? '', 256 * 1024);
 * const refused = await sender.send([message]); // [] when the queue took it
 */
export function createDeadLetterSender(sqsOf: () => Promise<SQSClient>, queueUrl: string, maxMessageBytes: number): DeadLetterSender {
  let client: Promise<SQSClient> | undefined;
  const sqs = (): Promise<SQSClient> => (client ??= sqsOf());
  return {
    async send(messages) {
      const refused: RefusedMessage[] = [];
      const fitting: Entry[] = [];
      for (const message of messages) {
        const fitted = fitMessage(message, maxMessageBytes);
        if (fitted.ok) fitting.push({ body: fitted.body, message });
        else refused.push({ message, reason: fitted.reason });
      }
      for (const chunk of sqsBatches(fitting, (entry) => Buffer.byteLength(entry.body), maxMessageBytes))
        refused.push(...(await sendChunk(await sqs(), queueUrl, chunk)));
      return refused;
    },
  };
}

interface Entry {
  readonly body: string;
  readonly message: PoisonRecordMessage;
}

async function sendChunk(sqs: SQSClient, queueUrl: string, chunk: readonly Entry[]): Promise<RefusedMessage[]> {
  try {
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    const result = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((entry, i) => ({ Id: `m${i}`, MessageBody: entry.body })) }),
    );
    const failures = new Map(
      (result.Failed ?? []).map((failure) => [failure.Id ?? '', `${failure.Code ?? 'Failed'}: ${failure.Message ?? 'no message'}`]),
    );
    return chunk.flatMap((entry, i) => {
      const reason = failures.get(`m${i}`);
      return reason === undefined ? [] : [{ message: entry.message, reason }];
    });
  } catch (error) {
    const reason = `SendMessageBatch failed: ${describeError(error)}`;
    return chunk.map((entry) => ({ message: entry.message, reason }));
  }
}

/** A poison message to park, and what it stands for: the caller's handle on the record(s) to redeliver when the queue refuses it. */
export interface Poison<T> {
  readonly message: PoisonRecordMessage;
  readonly source: T;
}

/**
 * Parks poison messages in the dead-letter queue and logs each: `warn` when parked (reason and
 * sequence number), `error` when the queue refused it (with the queue's error: the record must be
 * delivered again). Resolves with the sources of the refused messages.
 *
 * @example
 * const refused = await parkPoison([{ message, source: position }], { deadLetter, logger });
 * refused.forEach((position) => failedPositions.add(position));
 */
export async function parkPoison<T>(
  poison: readonly Poison<T>[],
  deps: { readonly deadLetter: DeadLetterSender; readonly logger: LoggerPort },
  fieldsOf: (source: T) => LogFields = () => ({}),
): Promise<T[]> {
  if (poison.length === 0) return [];
  const refusals = new Map(
    (await deps.deadLetter.send(poison.map((entry) => entry.message))).map((refusal) => [refusal.message, refusal.reason]),
  );
  for (const { message, source } of poison) {
    const fields = {
      sequenceNumber: message.sequenceNumber ?? null,
      table: message.table ?? null,
      reason: truncateText(message.reason),
      ...fieldsOf(source),
    };
    const refusal = refusals.get(message);
    if (refusal === undefined) deps.logger.warn('record dead-lettered', fields);
    else
      deps.logger.error('dead-letter queue refused a poison record: it will be delivered again', { ...fields, deadLetterError: refusal });
  }
  return poison.filter((entry) => refusals.has(entry.message)).map((entry) => entry.source);
}

/**
 * The dead-letter message of a stream record (Lambda's shape; the body text when it is not a record)
 * that cannot be indexed or buffered: the record whole, why, and where it comes from (table and stream
 * ARN read from its `eventSourceARN`).
 *
 * @example
 * const message = poisonRecordMessage(event.Records[0], 'mapper_parsing_exception: …', new Date(), '4200');
 */
export function poisonRecordMessage(record: unknown, reason: string, at: Date, sequenceNumber: string | undefined): PoisonRecordMessage {
  const candidate = (typeof record === 'object' && record !== null ? record : {}) as { eventSourceARN?: unknown };
  const streamArn = typeof candidate.eventSourceARN === 'string' ? candidate.eventSourceARN : undefined;
  return {
    kind: 'poison-record',
    reason,
    failedAt: at.toISOString(),
    table: tableNameFromStreamArn(streamArn),
    streamArn,
    sequenceNumber,
    record,
  };
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
export function tableNameFromStreamArn(streamArn: string | undefined): string | undefined {
  return streamArn?.match(/:table\/([^/]+)\/stream\//)?.[1];
}
