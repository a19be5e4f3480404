/*
 * Local development wiring: runs the real indexer in-process behind the stream runner, as Lambda would.
 * Only `serve.ts`, `seed.ts` and the integration tests use this file, never the API itself (`app.ts`, `main.ts`).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { StreamRunner, sqsOnFailureDestination, type RunnerLogger, type StreamHandler } from '@ddb-os/stream-runner';
import { syncTargetEnvironmentOf, type DemoConfig } from '../config';
import type { Logger } from '../logger';

export interface StreamSyncOptions {
  readonly config: DemoConfig;
  readonly streamArn: string;
  readonly dlqUrl: string;
  readonly onFailureQueueUrl: string;
  /** Checkpoint file of the runner: a restarted runner with the same file resumes where the last one stopped. */
  readonly checkpointFile: string;
  readonly logger: Logger;
  /** The indexer handler; default: the indexer's own Lambda handler, configured for the demo. */
  readonly handler?: StreamHandler;
}

/**
 * The environment the indexer reads at cold start, for the demo's sync (by name) and queues.
 *
 * @example
 * Object.assign(process.env, indexerEnvironment(config, dlqUrl));
 */
export function indexerEnvironment(config: DemoConfig, dlqUrl: string): Record<string, string> {
  return { ...syncTargetEnvironmentOf(config), DLQ_URL: dlqUrl, SQS_ENDPOINT: config.sqsEndpoint };
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

/**
 * The indexer's Lambda handler — the same code Lambda runs — for the demo's sync (the workspace definition's, on the
 * configured indexes) and queues.
 */
export function demoIndexer(config: DemoConfig, dlqUrl: string): StreamHandler {
  return createStreamBatchHandler(config.syncs, { ...process.env, ...indexerEnvironment(config, dlqUrl) });
}

function loadIndexer(options: StreamSyncOptions): StreamHandler {
  return demoIndexer(options.config, options.dlqUrl);
}

/** The demo's logger behind the stream runner's logging port (its debug lines dropped). */
export function runnerLogger(logger: Logger): RunnerLogger {
  return {
    log(level, message, data = {}) {
      if (level === 'debug') return;
      logger[level === 'info' ? 'info' : level]('stream-runner: ' + message, data);
    },
  };
}
