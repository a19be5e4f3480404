export { DynamoDbToOpenSearch } from './dynamodb-to-opensearch';
export type {
  ArchiveLifecycle,
  DynamoDbToOpenSearchProps,
  IndexRoute,
  IndexRouteMatch,
  OnFailureDestination,
  BufferedModeAlarms,
  DomainAlarms,
  SyncAlarms,
  SyncDomainProps,
  SyncMode,
} from './types';
export { CdkConstructError, InvalidPropError, MissingBundleError } from './errors';
export { METRIC_NAMES, METRICS_NAMESPACE } from './constants';
export { findWorkspaceRoot } from './code-location';
export { MAX_STREAM_READERS } from './stream-readers';
