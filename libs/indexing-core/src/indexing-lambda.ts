import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { lambdaHandler, powertoolsLogger, type LambdaHandler } from '@ddb-os/lambda-runtime';
import type { Syncs } from '@ddb-os/sync-definition';
import type { Context } from 'aws-lambda';
import { loadIndexingConfig, type IndexingConfig } from './config';
import { createDeadLetterSender } from './dead-letter';
import type { IndexingDependencies } from './index-records';
import { batchMetricsRecorder } from './metrics';
import { openSearchClientOf } from './opensearch-client';
import { createOpenSearchIndex } from './opensearch-index';
import { syncOfEnvironment, tableKeyAttributesOf } from './sync-environment';
import { METRICS_NAMESPACE, SYNC_ENV } from '@ddb-os/sync-contracts';

/** The Lambda handler of the indexing core (the direct indexer or the buffered writer) for the sync `SYNC_NAME` names. */
export function indexingLambdaHandler<E, R>(
  serviceName: string,
  syncs: Syncs,
  env: NodeJS.ProcessEnv | undefined,
  handle: (event: E, context: Context, deps: IndexingDependencies) => Promise<R>,
): LambdaHandler<E, R> {
  return lambdaHandler({
    serviceName,
    ...(env && { env }),
    // `process.env` read at each build, not at import: a runner or test may replace it before the first invocation.
    build: async (logger, name) => indexingDependencies(await indexingConfigOf(syncs, env ?? process.env), logger, name),
    handle,
  });
}

/**
 * The indexing configuration of the sync `SYNC_NAME` names (the only one, when the definition has one): its routing
 * for the table's key attributes (declared, or read with DescribeTable), the endpoints and policies from `env`.
 */
export async function indexingConfigOf(syncs: Syncs, env: NodeJS.ProcessEnv): Promise<IndexingConfig> {
  const sync = syncOfEnvironment(syncs, env);
  return loadIndexingConfig(sync.routingFor(await tableKeyAttributesOf(sync, env)), env);
}

/** Clients and ports of the indexing core for a configuration. */
export function indexingDependencies(config: IndexingConfig, logger: Logger, serviceName: string): IndexingDependencies {
  // The configured credentials, not the SDK's default chain: the config's env need not be the process env.
  const { credentials } = config;
  const client = openSearchClientOf(config);
  // Loaded on the first poison record only (see createDeadLetterSender).
  const sqs = async () =>
    new (await import('@aws-sdk/client-sqs')).SQSClient({
      region: config.region,
      ...(config.deadLetter.sqsEndpoint ? { endpoint: config.deadLetter.sqsEndpoint } : {}),
      ...(credentials ? { credentials } : {}),
    });
  const metrics = config.metricsEnabled
    ? new Metrics({ namespace: process.env[SYNC_ENV.metricsNamespace] ?? METRICS_NAMESPACE, serviceName })
    : undefined;
  return {
    config,
    index: createOpenSearchIndex(client, config),
    deadLetter: createDeadLetterSender(sqs, config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    logger: powertoolsLogger(logger),
    ...(metrics ? { recordStats: batchMetricsRecorder(metrics) } : {}),
  };
}
