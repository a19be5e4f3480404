import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { coldStartHandler, type ColdStartHandler } from './cold-start';
import { loadIndexingConfig, type IndexingConfig } from './config';
import { indexRecords, type IndexingDependencies } from './index-records';
import { UnreportableFailureError } from './unreportable-failure';

/**
 * Indexes one DynamoDB Streams batch and answers with Lambda's partial batch response: the earliest
 * record that must be delivered again. Lambda resumes the shard before the lowest reported sequence
 * number and re-sends everything after it, so reporting only the earliest failure is sufficient and
 * minimal — and harmless, because every write is ordered by its own record.
 */
export async function handleStreamBatch(event: { Records?: readonly unknown[] }, context: Pick<Context, 'getRemainingTimeInMillis'>, deps: IndexingDependencies): Promise<DynamoDBBatchResponse> {
  const records = Array.isArray(event?.Records) ? event.Records : [];
  const msLeft = () => context.getRemainingTimeInMillis() - deps.config.deadlineMarginMs;
  const { failedPositions } = await indexRecords(records, msLeft, deps);
  const failedSequenceNumbers = [...failedPositions].map((position) => sequenceNumberOf(records[position]));
  const unreportable = [...failedPositions].filter((_, i) => failedSequenceNumbers[i] === undefined);
  if (unreportable.length > 0) {
    const error = new UnreportableFailureError(unreportable);
    deps.logger.error(error.message, { positions: unreportable });
    throw error;
  }
  return { batchItemFailures: earliestFailure(failedSequenceNumbers as string[]) };
}

/** The earliest (numerically lowest) sequence number, as a partial batch response. */
export function earliestFailure(sequenceNumbers: Iterable<string>): { itemIdentifier: string }[] {
  let earliest: string | undefined;
  for (const sequenceNumber of sequenceNumbers) {
    if (earliest === undefined || BigInt(sequenceNumber) < BigInt(earliest)) earliest = sequenceNumber;
  }
  return earliest === undefined ? [] : [{ itemIdentifier: earliest }];
}

function sequenceNumberOf(record: unknown): string | undefined {
  const sequenceNumber = (record as { dynamodb?: { SequenceNumber?: unknown } } | undefined)?.dynamodb?.SequenceNumber;
  return typeof sequenceNumber === 'string' && /^\d{1,40}$/.test(sequenceNumber) ? sequenceNumber : undefined;
}

/** The direct-mode indexer's Lambda handler, plus a way to forget its cold-start state. */
export type StreamBatchHandler = ColdStartHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>;

/**
 * The indexer's Lambda handler. Its configuration is read from the environment at the first
 * invocation (cold start), so an invalid configuration fails before any record is touched.
 *
 * @example
 * export const handler = createStreamBatchHandler();
 */
export function createStreamBatchHandler(loadConfig: () => IndexingConfig = () => loadIndexingConfig()): StreamBatchHandler {
  return coldStartHandler('ddb-os-indexer', loadConfig, handleStreamBatch);
}
