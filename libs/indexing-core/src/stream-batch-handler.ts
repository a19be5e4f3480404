import type { Syncs } from '@ddb-os/sync-definition';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { UnreportableFailureError } from './errors';
import { indexRecords, type IndexingDependencies } from './index-records';
import type { LambdaHandler } from '@ddb-os/lambda-runtime';
import { indexingLambdaHandler } from './indexing-lambda';
import { streamBatchResponse } from './stream-batch-response';

/**
 * Indexes one DynamoDB Streams batch and answers with Lambda's partial batch response: the earliest
 * record that must be delivered again — harmless to redeliver, because every write is ordered by its
 * own record.
 */
export async function handleStreamBatch(
  event: { Records?: readonly unknown[] },
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  deps: IndexingDependencies,
): Promise<DynamoDBBatchResponse> {
  const records = Array.isArray(event?.Records) ? event.Records : [];
  const msLeft = () => context.getRemainingTimeInMillis() - deps.config.deadlineMarginMs;
  const { failedPositions } = await indexRecords(records, msLeft, deps);
  return streamBatchResponse(records, failedPositions, deps.logger, (positions) => new UnreportableFailureError(positions));
}

/** The direct-mode indexer's Lambda handler, plus a way to forget its cold-start state. */
export type StreamBatchHandler = LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>;

/**
 * The indexer's Lambda handler for the sync `SYNC_NAME` names in `syncs`. Its configuration is built at the first
 * invocation (cold start), so an invalid configuration fails before any record is touched.
 *
 * @example
 * export const handler = createStreamBatchHandler(syncs); // syncs: the workspace definition (`@ddb-os/syncs`)
 */
export function createStreamBatchHandler(syncs: Syncs, env?: NodeJS.ProcessEnv): StreamBatchHandler {
  return indexingLambdaHandler('ddb-os-indexer', syncs, env, handleStreamBatch);
}
