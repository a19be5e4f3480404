import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { indexSchemas } from '@ddb-os/schemas';
import type { Context } from 'aws-lambda';
import type { IndexingConfig } from './config';
import { createDeadLetterSender } from './dead-letter';
import type { IndexingDependencies } from './index-records';
import { batchMetricsRecorder } from './metrics';
import { powertoolsLogger } from './logger';
import { createOpenSearchIndex } from './opensearch-index';

/** A Lambda handler that builds its clients at the first invocation, plus a way to forget them. */
export interface ColdStartHandler<E, R> {
  (event: E, context: Context): Promise<R>;
  /** Forgets the configuration and clients built at cold start (tests and local runners reconfigure). */
  reset(): void;
}

/**
 * Wraps `handle` so that configuration and clients are built once, at the first invocation (an invalid
 * configuration fails there, before any record is touched), and reused while the container lives.
 */
export function coldStartHandler<E, R>(
  defaultServiceName: string,
  loadConfig: () => IndexingConfig,
  handle: (event: E, context: Context, deps: IndexingDependencies) => Promise<R>,
): ColdStartHandler<E, R> {
  const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] ?? defaultServiceName;
  const logger = new Logger({ serviceName });
  let dependencies: IndexingDependencies | undefined;
  const handler = async (event: E, context: Context): Promise<R> => {
    dependencies ??= indexingDependencies(loadConfig(), logger, serviceName);
    logger.addContext(context);
    return handle(event, context, dependencies);
  };
  return Object.assign(handler, { reset: () => void (dependencies = undefined) });
}

/** Clients and ports of the indexing core for a configuration. */
export function indexingDependencies(config: IndexingConfig, logger: Logger, serviceName: string): IndexingDependencies {
  // The configured credentials, not the SDK's default chain: the config's env need not be the process env.
  const { credentials } = config;
  const client = createOpenSearchClient(
    { node: config.openSearch.node, auth: config.openSearch.auth, requestTimeoutMs: config.openSearch.requestTimeoutMs },
    credentials ? { credentials: async () => credentials } : {},
  );
  const sqs = new SQSClient({
    region: config.region,
    ...(config.deadLetter.sqsEndpoint ? { endpoint: config.deadLetter.sqsEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
  const metrics = config.metricsEnabled ? new Metrics({ namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'DynamoDbOpenSearchSync', serviceName }) : undefined;
  return {
    config,
    schemas: indexSchemas,
    index: createOpenSearchIndex(client, config, indexSchemas),
    deadLetter: createDeadLetterSender(sqs, config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    logger: powertoolsLogger(logger),
    ...(metrics ? { recordStats: batchMetricsRecorder(metrics) } : {}),
  };
}
