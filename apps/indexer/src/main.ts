import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { syncs } from '@ddb-os/syncs';

/**
 * Lambda handler for DynamoDB Streams batches (event source mapping with `ReportBatchItemFailures`):
 * indexes the batch, dead-letters poison records, and returns the earliest record to redeliver.
 */
export const handler = createStreamBatchHandler(syncs);
