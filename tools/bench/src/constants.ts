import { demoSync } from '@ddb-os/syncs';

/** Where results go (relative to the workspace root). */
export const RESULTS_DIR = 'docs/benchmarks';

/** The stream ARN of synthetic batches (a table that does not exist: no runner reads it). */
export const SYNTHETIC_STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/bench-synthetic/stream/2026-01-01T00:00:00.000';

/**
 * The indexer handler measured by default: the indexer's code over the bench's definition (`bench-indexer.ts`), so
 * that it writes to the bench's unique indexes. `apps/indexer/src/main.ts#handler` compiles in the workspace's
 * definition and writes to the demo's `products`/`reviews`.
 */
export const DEFAULT_HANDLER = 'tools/bench/src/bench-indexer.ts#handler';

/** The sync the workspace's own indexer bundle (`dist/apps/indexer`) serves: the demo of `syncs/sync.config.ts`. */
export const WORKSPACE_SYNC = demoSync().name;

/** The bench sync the synthetic items go through: they are reviews (`@ddb-os/schemas`), whose body may reach 10,000 characters. */
export const SYNTHETIC_SYNC = 'bench-reviews';

/** Shares of the synthetic workload, as the task defines it. */
export const WORKLOAD_SHARES = { updateShare: 0.3, deleteShare: 0.1 } as const;

/** Runs per measured configuration; every reported figure is the median over them. */
export const DEFAULT_RUNS = 3;

/** Lambda's event source mapping polls a shard about four times a second. */
export const LAMBDA_POLL_INTERVAL_MS = 250;
