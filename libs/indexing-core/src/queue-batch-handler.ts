import type { Syncs } from '@ddb-os/sync-definition';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parkPoison, poisonRecordMessage } from './dead-letter';
import { indexRecords, type IndexingDependencies } from './index-records';
import type { LambdaHandler } from '@ddb-os/lambda-runtime';
import { indexingLambdaHandler } from './indexing-lambda';

/** The part of an SQS message the queue handler reads. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly eventSourceARN?: string;
}

/** A message body, read back into the stream record the stream reader published (or why it is not one). */
export type ParsedBody = { readonly ok: true; readonly record: unknown } | { readonly ok: false; readonly reason: string };

/**
 * Reads a buffer-queue message body: the JSON of one Lambda-shaped DynamoDB stream record. An SNS
 * envelope (a subscription without raw message delivery) is unwrapped, so both deliveries work.
 *
 * @example
 * const parsed = parseQueueBody('{"eventID":"1","eventName":"INSERT","dynamodb":{}}');
 */
export function parseQueueBody(body: string): ParsedBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `message body is not JSON (${(error as Error).message})` };
  }
  if (isSnsEnvelope(parsed)) return parseQueueBody(parsed.Message);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, reason: 'message body is not a JSON object (expected one DynamoDB stream record)' };
  return { ok: true, record: parsed };
}

function isSnsEnvelope(value: unknown): value is { Type: 'Notification'; Message: string } {
  const candidate = value as { Type?: unknown; Message?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && candidate.Type === 'Notification' && typeof candidate.Message === 'string';
}

/**
 * Indexes one SQS batch of buffered stream records and answers with SQS's partial batch response:
 * the message id of every message that is neither indexed (or already superseded) nor dead-lettered.
 * Unlike a stream, SQS redelivers exactly the reported messages; their order relative to the rest
 * does not matter, because every write is ordered by its own record (docs/consistency.md).
 */
export async function handleQueueBatch(
  event: { Records?: readonly QueueMessage[] },
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  deps: IndexingDependencies,
): Promise<SQSBatchResponse> {
  const messages = Array.isArray(event?.Records) ? event.Records : [];
  const parsed = messages.map((message) => ({ message, body: parseQueueBody(message.body) }));
  const readable = parsed.flatMap(({ message, body }) => (body.ok ? [{ message, record: body.record }] : []));
  const unreadable = parsed.flatMap(({ message, body }) => (body.ok ? [] : [{ message, reason: body.reason }]));

  const msLeft = () => context.getRemainingTimeInMillis() - deps.config.deadlineMarginMs;
  const { failedPositions } = await indexRecords(
    readable.map(({ record }) => record),
    msLeft,
    deps,
  );
  const failed: SQSBatchItemFailure[] = [...failedPositions].map((position) => ({
    itemIdentifier: readable[position]?.message.messageId ?? '',
  }));
  failed.push(...(await deadLetterUnreadable(unreadable, deps)));
  return { batchItemFailures: failed.filter((failure) => failure.itemIdentifier !== '') };
}

/** Parks unreadable messages in the DLQ (body kept verbatim); answers with those the DLQ refused. */
async function deadLetterUnreadable(
  unreadable: readonly { message: QueueMessage; reason: string }[],
  deps: IndexingDependencies,
): Promise<SQSBatchItemFailure[]> {
  const now = deps.now ?? (() => new Date());
  const poison = unreadable.map(({ message, reason }) => ({
    message: poisonRecordMessage(message.body, `malformed buffer message ${message.messageId}: ${reason}`, now(), undefined),
    source: message.messageId,
  }));
  const refused = await parkPoison(poison, deps, (messageId) => ({ messageId }));
  return refused.map((messageId) => ({ itemIdentifier: messageId }));
}

/** The buffered-mode writer's Lambda handler, plus a way to forget its cold-start state. */
export type QueueBatchHandler = LambdaHandler<SQSEvent, SQSBatchResponse>;

/**
 * The OpenSearch writer's Lambda handler (buffered mode, SQS event source with
 * `ReportBatchItemFailures`). Configuration is read from the environment at the first invocation,
 * exactly as for the direct-mode indexer.
 *
 * @example
 * export const handler = createQueueBatchHandler(syncs); // syncs: the workspace definition (`@ddb-os/syncs`)
 */
export function createQueueBatchHandler(syncs: Syncs, env?: NodeJS.ProcessEnv): QueueBatchHandler {
  return indexingLambdaHandler('ddb-os-opensearch-writer', syncs, env, handleQueueBatch);
}
