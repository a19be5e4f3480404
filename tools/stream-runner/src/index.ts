export { StreamRunner } from './stream-runner';
export { StatusReporter, formatStatusLine } from './status-reporter';
export { CheckpointStore, type ShardCheckpoint } from './checkpoint-store';
export { loadHandler, parseHandlerSpec, type HandlerSpec } from './handler-loader';
export { createLambdaContext, invokeHandler } from './lambda-context';
export { interpretHandlerResult } from './batch-result';
export { decideAfterFailure, bisect, expiredPrefixLength, retryDelayMs, type FailurePolicy, type NextStep } from './failure-policy';
export { shardsReadyToStart, shardStart, mergeShards, type ShardStart } from './lineage';
export { buildOnFailureRecord, type OnFailureRecordInput } from './on-failure-record';
export { functionArnFor } from './stream-arn';
export { sqsRecord } from './sqs-record';
export {
  SqsEventSource,
  queueArnOf,
  type SqsBatchHandler,
  type SqsEventSourceCounters,
  type SqsEventSourceOptions,
} from './sqs-event-source';
export { defaultClients, defaultSqsDestination, sdkStreamsApi, sdkTablesApi, sqsOnFailureDestination } from './aws-clients';
export { jsonLogger, silentLogger } from './logger';
export { resolveRunnerConfig } from './options';
export { DEFAULTS, LIMITS } from './constants';
export * from './errors';
export type * from './types';
export { addRunnerOptions, parseRunOptions, runCommand, type CliIo, type RunCommandOptions } from './run-command';
