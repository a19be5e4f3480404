/*
 * Local development wiring: runs the real failure handler in-process on the on-failure queue and the DLQ, as
 * Lambda's SQS event source would, so that failed records end up in the archive (the local S3 server).
 * Only `serve.ts` and the integration tests use this file, never the API itself.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loadHandler, queueArnOf, SqsEventSource, type SqsBatchHandler } from '@ddb-os/stream-runner';
import { componentAwsEnvironment, type DemoConfig } from '../config';
import type { Logger } from '../logger';
import { runnerLogger } from './stream-sync';

/** Where the failure handler's factory lives; loaded at run time (an app cannot import another app). */
export const FAILURE_HANDLER_FACTORY = 'apps/failure-handler/src/main.ts#failureHandlerFor';

export interface FailureSyncOptions {
  readonly config: DemoConfig;
  readonly sqs: SQSClient;
  /** Queue URL per label: the indexer's DLQ and the stream's on-failure queue. */
  readonly queues: { readonly deadLetter: string; readonly onFailure: string };
  readonly logger: Logger;
  /** The workspace root, to load the failure handler from. */
  readonly workspaceRoot: string;
  /** The failure handler; default: the failure handler's own, configured for the demo. */
  readonly handler?: SqsBatchHandler;
}

/** The running consumers; `stop()` ends them after their current poll. */
export interface FailureSync {
  stop(): Promise<void>;
}

/**
 * The environment the failure handler reads, for the demo's archive and table.
 *
 * @example
 * const handler = demoFailureHandler(config, workspaceRoot());
 */
export function failureHandlerEnvironment(config: DemoConfig): Record<string, string> {
  return {
    ARCHIVE_BUCKET: config.archive.bucket,
    ARCHIVE_PREFIX: config.archive.prefix,
    S3_ENDPOINT: config.archive.s3Endpoint,
    DYNAMODB_ENDPOINT: config.dynamodbEndpoint,
    POWERTOOLS_SERVICE_NAME: 'demo-failure-handler',
    ...componentAwsEnvironment(config),
  };
}

/** What the failure handler's factory returns: its Lambda handler, which can build (and refuse) its configuration now. */
type FailureLambdaHandler = SqsBatchHandler & { start?: () => void | Promise<void> };

/**
 * The failure handler's own code (`apps/failure-handler/src/main.ts`), configured for the demo. Rejects naming every
 * configuration problem before any message is handled.
 *
 * @example
 * const archive = await demoFailureHandler(config, workspaceRoot());
 */
export async function demoFailureHandler(config: DemoConfig, workspaceRoot: string): Promise<SqsBatchHandler> {
  // loadHandler checks that the export is a function; its shape is the failure handler's factory, not a stream handler.
  const factory = loadHandler(FAILURE_HANDLER_FACTORY, { cwd: workspaceRoot }) as unknown as (
    env: NodeJS.ProcessEnv,
  ) => FailureLambdaHandler | Promise<FailureLambdaHandler>;
  // Awaited whether the factory returns the handler or a promise of it; `start()` (sync or async) surfaces a bad configuration here.
  const handler = await factory({ ...process.env, ...failureHandlerEnvironment(config) });
  await handler.start?.();
  return handler;
}

/**
 * Runs the failure handler on the DLQ and the on-failure queue through the local SQS event source (the stream
 * runner's stand-in for Lambda's, with `ReportBatchItemFailures`): archived messages are deleted, the ones it
 * reported as failed come back after a growing, jittered delay.
 *
 * @example
 * const failures = await startFailureSync({ config, sqs, queues: { deadLetter, onFailure }, logger, workspaceRoot: root });
 * // … later
 * await failures.stop();
 */
export async function startFailureSync(options: FailureSyncOptions): Promise<FailureSync> {
  const handler = options.handler ?? (await demoFailureHandler(options.config, options.workspaceRoot));
  const logger = runnerLogger(options.logger);
  const sources = await Promise.all(
    Object.entries(options.queues).map(
      async ([label, queueUrl]) =>
        new SqsEventSource({
          sqs: options.sqs,
          queueUrl,
          queueArn: await queueArnOf(options.sqs, queueUrl),
          handler,
          region: options.config.region,
          label,
          logger,
        }),
    ),
  );
  for (const source of sources) source.start();
  return {
    async stop() {
      await Promise.all(sources.map((source) => source.stop()));
    },
  };
}
