/**
 * The indexer's Lambda handler as `apps/indexer/src/main.ts` builds it, over the bench's definition instead of the
 * workspace's: the sync `SYNC_NAME` names (`bench-reviews`, …) writes to the unique index the bench chose
 * (`BENCH_INDEX`), so a bench never touches the demo's `products`/`reviews` on a shared cluster. The handler code,
 * libraries and bundling are the indexer's own; only the compiled-in definition differs.
 */
import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { syncs } from './bench-syncs';

export const handler = createStreamBatchHandler(syncs);
