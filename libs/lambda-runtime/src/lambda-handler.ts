import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

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
