/** Where results go (relative to the workspace root). */
export const RESULTS_DIR = 'docs/benchmarks';

/** The stream ARN of synthetic batches (a table that does not exist: no runner reads it). */
export const SYNTHETIC_STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/bench-synthetic/stream/2026-01-01T00:00:00.000';

/** The indexer handler measured by default. */
export const DEFAULT_HANDLER = 'apps/indexer/src/main.ts#handler';

/** The schema the synthetic items follow (`@ddb-os/schemas`): reviews allow a 10,000-character body. */
export const SYNTHETIC_SCHEMA = 'review';

/** Shares of the synthetic workload, as the task defines it. */
export const WORKLOAD_SHARES = { updateShare: 0.3, deleteShare: 0.1 } as const;

/** Runs per measured configuration; every reported figure is the median over them. */
export const DEFAULT_RUNS = 3;

/** Lambda's event source mapping polls a shard about four times a second. */
export const LAMBDA_POLL_INTERVAL_MS = 250;
