import { syncs } from '@ddb-os/syncs';
import { createStreamReaderHandler } from './handler';

/**
 * Lambda handler of buffered mode's first hop (DynamoDB Streams event source with
 * `ReportBatchItemFailures`): publishes each record to the FIFO buffer, grouped by document.
 */
export const handler = createStreamReaderHandler(syncs);
