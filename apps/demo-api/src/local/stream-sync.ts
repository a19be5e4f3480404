/*
 * Local development wiring: runs the real indexer in-process behind the stream runner, as Lambda would.
 * The stream runner is a workspace tool, not a library; only `serve.ts`, `seed.ts` and the integration tests
 * use this file, never the API itself (`app.ts`, `main.ts`).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { demoIndexRoutesFor } from '@ddb-os/schemas';
// eslint-disable-next-line @nx/enforce-module-boundaries -- dev-only orchestration: the demo runs the local stream runner (a tool) in-process.
import { StreamRunner, loadHandler, sqsOnFailureDestination, type RunnerLogger, type StreamHandler } from '@ddb-os/stream-runner';
import type { DemoConfig } from '../config';
import type { Logger } from '../logger';

/** The indexer's Lambda handler, loaded from source like the CLI does (nothing of the app imported statically). */
export const INDEXER_HANDLER_SPEC = 'apps/indexer/src/main.ts#handler';

export interface StreamSyncOptions {
  readonly config: DemoConfig;
  readonly streamArn: string;
  readonly dlqUrl: string;
  readonly onFailureQueueUrl: string;
  /** Checkpoint file of the runner: a restarted runner with the same file resumes where the last one stopped. */
  readonly checkpointFile: string;
  readonly logger: Logger;
  /** The indexer handler; default: loaded from {@link INDEXER_HANDLER_SPEC} after {@link configureIndexerEnvironment}. */
  readonly handler?: StreamHandler;
  readonly workspaceRoot?: string;
}

/**
 * The environment the indexer reads at cold start, for the demo's table, indexes and queues.
 *
 * @example
 * Object.assign(process.env, indexerEnvironment(config, dlqUrl));
 */
export function indexerEnvironment(config: DemoConfig, dlqUrl: string): Record<string, string> {
  return {
    OPENSEARCH_NODE: config.openSearch.node,
    OPENSEARCH_AUTH: config.openSearch.auth.kind,
    INDEX_ROUTES: JSON.stringify(demoIndexRoutesFor(config.indexes)),
    KEY_ATTRIBUTES: 'pk,sk',
    DLQ_URL: dlqUrl,
    SQS_ENDPOINT: config.sqsEndpoint,
    AWS_REGION: config.region,
    ...(config.credentials && { AWS_ACCESS_KEY_ID: config.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey }),
  };
}

/** Sets the indexer's environment variables in this process (it reads them on its first invocation). */
export function configureIndexerEnvironment(config: DemoConfig, dlqUrl: string, env: NodeJS.ProcessEnv = process.env): void {
  Object.assign(env, indexerEnvironment(config, dlqUrl));
}

/**
 * Starts a stream runner on the demo table's stream that invokes the indexer in-process; failed batches go to
 * the on-failure queue, poison records to the DLQ (by the indexer). Polls about 5×/s so a change is searchable
 * within about two seconds.
 *
 * @example
 * const runner = await startStreamSync({ config, streamArn, dlqUrl, onFailureQueueUrl, checkpointFile, logger });
 * // … later
 * await runner.stop();
 */
export async function startStreamSync(options: StreamSyncOptions): Promise<StreamRunner> {
  const handler = options.handler ?? loadIndexer(options);
  const sqs = new SQSClient({
    region: options.config.region,
    endpoint: options.config.sqsEndpoint,
    ...(options.config.credentials && { credentials: options.config.credentials }),
  });
  const runner = new StreamRunner({
    handler,
    streamArn: options.streamArn,
    functionName: 'demo-indexer',
    checkpointFile: options.checkpointFile,
    batchSize: 100,
    pollIntervalMs: 200,
    idlePollMaxMs: 400,
    bisectBatchOnError: true,
    maxRetryAttempts: 3,
    retryBaseDelayMs: 200,
    retryMaxDelayMs: 2_000,
    timeoutMs: 30_000,
    onFailure: sqsOnFailureDestination(sqs, options.onFailureQueueUrl),
    logger: runnerLogger(options.logger),
  });
  await runner.start();
  return runner;
}

function loadIndexer(options: StreamSyncOptions): StreamHandler {
  configureIndexerEnvironment(options.config, options.dlqUrl);
  return loadHandler(INDEXER_HANDLER_SPEC, options.workspaceRoot === undefined ? {} : { cwd: options.workspaceRoot });
}

function runnerLogger(logger: Logger): RunnerLogger {
  return {
    log(level, message, data = {}) {
      if (level === 'debug') return;
      logger[level === 'info' ? 'info' : level]('stream-runner: ' + message, data);
    },
  };
}
