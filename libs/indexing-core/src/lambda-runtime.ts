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
import { METRICS_NAMESPACE, SYNC_ENV } from '@ddb-os/sync-contracts';

/**
 * A Lambda handler whose configuration and clients are built at its first invocation and reused
 * while the container lives. `C` is `Context`, or `Context | undefined` for handlers that local
 * runners call without one.
 */
export interface LambdaHandler<E, R, C extends Context | undefined = Context> {
  (event: E, ...context: undefined extends C ? [context?: C] : [context: C]): Promise<R>;
  /** Builds now what the first invocation would build; throws what is wrong with the configuration. */
  start(): void;
  /** Forgets the configuration and clients (tests and local runners reconfigure). */
  reset(): void;
}

/** What a Lambda function is made of: how to build its dependencies, and how to handle one event with them. */
export interface LambdaFunction<E, R, D, C extends Context | undefined = Context> {
  /** Powertools service name when `POWERTOOLS_SERVICE_NAME` is unset. */
  readonly serviceName: string;
  /** Where `POWERTOOLS_SERVICE_NAME` is read. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Reads the configuration and builds the clients; throws naming every configuration problem. */
  readonly build: (logger: Logger, serviceName: string) => D;
  readonly handle: (event: E, context: C, deps: D) => Promise<R>;
}

/**
 * The one Lambda shell of every handler of the sync: a Powertools logger (with the invocation's
 * context), dependencies built at the first invocation rather than at import (so a local runner can
 * load the module with its own settings), and a configuration that cannot be built logged at
 * critical and thrown before any record is touched.
 *
 * @example
 * export const handler = lambdaHandler({ serviceName: 'ddb-os-indexer', build: (logger, name) => indexingDependencies(loadIndexingConfig(), logger, name), handle: handleStreamBatch });
 */
export function lambdaHandler<E, R, D, C extends Context | undefined = Context>(fn: LambdaFunction<E, R, D, C>): LambdaHandler<E, R, C> {
  const serviceName = (fn.env ?? process.env)['POWERTOOLS_SERVICE_NAME'] ?? fn.serviceName;
  const logger = new Logger({ serviceName });
  let dependencies: D | undefined;
  const start = (): D => {
    try {
      dependencies ??= fn.build(logger, serviceName);
      return dependencies;
    } catch (error) {
      logger.critical('Cannot start: invalid configuration', { error: error as Error });
      throw error;
    }
  };
  const handler = async (event: E, ...[context]: undefined extends C ? [context?: C] : [context: C]): Promise<R> => {
    const deps = start();
    if (context) logger.addContext(context);
    return fn.handle(event, context as C, deps);
  };
  return Object.assign(handler, { start: () => void start(), reset: () => void (dependencies = undefined) });
}

/** The Lambda handler of the indexing core for a configuration loader (the direct indexer or the buffered writer). */
export function indexingLambdaHandler<E, R>(
  serviceName: string,
  loadConfig: () => IndexingConfig,
  handle: (event: E, context: Context, deps: IndexingDependencies) => Promise<R>,
): LambdaHandler<E, R> {
  return lambdaHandler({ serviceName, build: (logger, name) => indexingDependencies(loadConfig(), logger, name), handle });
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
  const metrics = config.metricsEnabled
    ? new Metrics({ namespace: process.env[SYNC_ENV.metricsNamespace] ?? METRICS_NAMESPACE, serviceName })
    : undefined;
  return {
    config,
    schemas: indexSchemas,
    index: createOpenSearchIndex(client, config, indexSchemas),
    deadLetter: createDeadLetterSender(sqs, config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    logger: powertoolsLogger(logger),
    ...(metrics ? { recordStats: batchMetricsRecorder(metrics) } : {}),
  };
}
