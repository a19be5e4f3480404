/** Powertools service name (logs and the metrics dimension). */
export const SERVICE_NAME = 'failure-handler';
// The metric contract is shared with the CDK construct's alarms and dashboard.
export { FAILURE_HANDLER_METRICS as METRIC, METRICS_NAMESPACE as DEFAULT_METRICS_NAMESPACE } from '@ddb-os/sync-contracts';

/** GetRecords returns at most 1,000 records per call. */
export const GET_RECORDS_PAGE_LIMIT = 1000;
/** A stream has at most this many DescribeStream pages worth looking through (100 shards each). */
export const MAX_DESCRIBE_STREAM_PAGES = 100;

/** The command that reconciles an index with its table when stream records are gone. */
export const REPAIR_HINT =
  'records of this range can no longer be read from the stream: run `verify --repair` for the table (`npx nx run backfill:run -- verify --table <table> --repair`) to reconcile the index with it';
