export { DynamoDbToOpenSearch } from './dynamodb-to-opensearch';
export { SyncArchive } from './failure-storage';
export type {
  ArchiveLifecycle,
  DynamoDbToOpenSearchProps,
  OnFailureDestination,
  ResolvedArchiveLifecycle,
  BufferedModeAlarms,
  DomainAlarms,
  SyncAlarms,
  SyncDomainProps,
  SyncTableProps,
  SyncMode,
} from './types';
export { CdkConstructError, InvalidPropError, MissingBundleError } from './errors';
export { METRIC_NAMES, METRICS_NAMESPACE } from './constants';
export { findWorkspaceRoot } from './code-location';
export { MAX_STREAM_READERS } from './stream-readers';
