/**
 * The bench's sync definition as a module (`export const syncs`), like `syncs/sync.config.ts` for the workspace:
 * the index names come from `BENCH_INDEX` (and `BENCH_EVENTS_INDEX`), set by the bench before it loads the module.
 * What the bench's indexer compiles in, and what a CLI taking a definition module reads.
 */
import { benchIndexNamesFrom, benchSyncs } from './bench-definition';

export const syncs = benchSyncs(benchIndexNamesFrom(process.env));
