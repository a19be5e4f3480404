/**
 * The demo's sync definition as a module (`export const syncs`, like `syncs/sync.config.ts`), on the index names of
 * the demo's environment (`DEMO_PRODUCTS_INDEX`, `DEMO_REVIEWS_INDEX`): the definition the operators' CLI reads
 * (`--definition`) when the page replays a failure, so that replay writes where the demo's indexer writes.
 */
import { loadConfig } from './config';

export const syncs = loadConfig(process.env).syncs;
