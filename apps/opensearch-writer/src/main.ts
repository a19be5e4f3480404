import { createQueueBatchHandler } from '@ddb-os/indexing-core';
import { syncs } from '@ddb-os/syncs';

/**
 * Lambda handler of buffered mode (SQS FIFO event source with `ReportBatchItemFailures`): indexes the
 * buffered stream records, dead-letters poison ones, and reports the message ids to redeliver.
 */
export const handler = createQueueBatchHandler(syncs);
