export * from './types';
export * from './errors';
export * from './constants';
export {
  runBackfill,
  type BackfillDependencies,
  type BackfillOptions,
  type BackfillSourceOptions,
  type PageCommittedEvent,
} from './backfill';
export { runVerify, inSample, documentDifference, type VerifyDependencies, type VerifyOptions } from './verify';
export { retryFailures, type RetryFailuresDependencies, type RetryFailuresOptions, type RetryFailuresSummary } from './retry-failures';
export { repairDocuments, repairEntries, type RepairContext, type RepairTarget } from './repair';
export { CheckpointStore, addCounts, emptyCounts, type CheckpointMode, type PageCommit, type SegmentCheckpoint } from './checkpoint';
export { TokenBucket, BackPressure, type TokenBucketOptions, type BackPressureOptions } from './rate-limit';
export { canonicalJson, contentHash, documentContent } from './canonical-hash';
export { validateForRoute, planItem, planRawItem, keysOf, type ItemPlan, type PlanContext, type Validation } from './item-plan';
export { scanSegments, describeTable, encodeKey, decodeKey, type ScanOptions, type TableInfo } from './table-scan';
export { openExport, parseS3Url, parseExportLine, type ExportOptions, type OpenedExport } from './export-source';
export { createProgress, silentProgress, JsonLinesProgress, BarsProgress, throughput, type ProgressMode } from './progress';
export { EXIT, backfillExitCode, verifyExitCode, verifyStatus, formatBackfillSummary, formatVerifySummary } from './summary';
export { DriftReport } from './drift-report';
export { NdjsonWriter } from './ndjson-writer';
export { backfillOptionsFrom, verifyOptionsFrom, retryFailuresOptionsFrom } from './options';
export { runCli, addBackfillCommands, backfillErrorExitCode, BACKFILL_EXIT_HELP, type ActionRunner, type CliStreams } from './cli';
export { syncTableName } from './sync-table';
export { countDocuments } from './index-reads';
