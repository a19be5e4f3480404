import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import type { Syncs } from '@ddb-os/sync-definition';
import type { Context } from 'aws-lambda';
import { loadIndexingConfig, type IndexingConfig } from './config';
import { createDeadLetterSender } from './dead-letter';
import type { IndexingDependencies } from './index-records';
import { batchMetricsRecorder } from './metrics';
import { powertoolsLogger } from './logger';
import { createOpenSearchIndex } from './opensearch-index';
import { syncOfEnvironment, tableKeyAttributesOf } from './sync-environment';
import { METRICS_NAMESPACE, SYNC_ENV } from '@ddb-os/sync-contracts';

/**
 * A Lambda handler whose configuration and clients are built at its first invocation and reused
 * while the container lives. `C` is `Context`, or `Context | undefined` for handlers that local
 * runners call without one.
 */
export interface LambdaHandler<E, R, C extends Context | undefined = Context> {
  (event: E, ...context: undefined extends C ? [context?: C] : [context: C]): Promise<R>;
  /** Builds now what the first invocation would build; rejects with what is wrong with the configuration. */
  start(): Promise<void>;
  /** Forgets the configuration and clients (tests and local runners reconfigure). */
  reset(): void;
}

/** What a Lambda function is made of: how to build its dependencies, and how to handle one event with them. */
export interface LambdaFunction<E, R, D, C extends Context | undefined = Context> {
  /** Powertools service name when `POWERTOOLS_SERVICE_NAME` is unset. */
  readonly serviceName: string;
  /** Where `POWERTOOLS_SERVICE_NAME` is read. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Reads the configuration and builds the clients; throws (or rejects) naming every configuration problem. */
  readonly build: (logger: Logger, serviceName: string) => D | Promise<D>;
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
  let dependencies: Promise<D> | undefined;
  const start = (): Promise<D> => {
    dependencies ??= (async () => fn.build(logger, serviceName))().catch((error: unknown) => {
      // Forgotten, so that the next invocation tries again (a table momentarily unreachable at cold start).
      dependencies = undefined;
      logger.critical('Cannot start: invalid configuration', { error: error as Error });
      throw error;
    });
    return dependencies;
  };
  const handler = async (event: E, ...[context]: undefined extends C ? [context?: C] : [context: C]): Promise<R> => {
    const deps = await start();
    if (context) logger.addContext(context);
    return fn.handle(event, context as C, deps);
  };
  return Object.assign(handler, { start: async () => void (await start()), reset: () => void (dependencies = undefined) });
}

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
    index: createOpenSearchIndex(client, config),
    deadLetter: createDeadLetterSender(sqs, config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    logger: powertoolsLogger(logger),
    ...(metrics ? { recordStats: batchMetricsRecorder(metrics) } : {}),
  };
}
