/*
 * Local development wiring: runs the real failure handler in-process on the on-failure queue and the DLQ, as
 * Lambda's SQS event source would, so that failed records end up in the archive (the local S3 server).
 * Only `serve.ts` and the integration tests use this file, never the API itself.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { backoffDelayMs } from '@ddb-os/index-writer';
import { loadHandler, sqsRecord } from '@ddb-os/stream-runner';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { componentAwsEnvironment, type DemoConfig } from '../config';
import { describeError, type Logger } from '../logger';

/** The failure handler's Lambda handler, as called by the SQS event source. */
export type SqsBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** Where the failure handler's factory lives; loaded at run time (an app cannot import another app). */
export const FAILURE_HANDLER_FACTORY = 'apps/failure-handler/src/main.ts#failureHandlerFor';

const RECEIVE = { maxMessages: 10, waitSeconds: 1, visibilitySeconds: 30 } as const;
/** A message the handler could not archive comes back after a growing, jittered delay (it is never dropped). */
const REDELIVERY_BACKOFF = { maxAttempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 2_000, maxDelayMs: 300_000 } as const;
const POLL_ERROR_BACKOFF = { maxAttempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 200, maxDelayMs: 5_000 } as const;

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
 * Polls the DLQ and the on-failure queue and hands each batch to the failure handler, deleting the messages it
 * archived and delaying the ones it reported as failed, like Lambda's SQS event source with
 * `ReportBatchItemFailures`.
 *
 * @example
 * const failures = await startFailureSync({ config, sqs, queues: { deadLetter, onFailure }, logger, workspaceRoot: root });
 * // … later
 * await failures.stop();
 */
export async function startFailureSync(options: FailureSyncOptions): Promise<FailureSync> {
  const handler = options.handler ?? (await demoFailureHandler(options.config, options.workspaceRoot));
  const state = { stopping: false };
  const consumers = await Promise.all(
    Object.entries(options.queues).map(async ([label, queueUrl]) => ({
      ...options,
      handler,
      label,
      queueUrl,
      queueArn: await queueArnOf(options.sqs, queueUrl),
      state,
    })),
  );
  const loops = consumers.map((consumer) => consume(consumer));
  return {
    async stop() {
      state.stopping = true;
      await Promise.all(loops);
    },
  };
}

interface Consumer extends FailureSyncOptions {
  readonly handler: SqsBatchHandler;
  readonly label: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly state: { stopping: boolean };
}

async function consume(consumer: Consumer): Promise<void> {
  let pollErrors = 0;
  while (!consumer.state.stopping) {
    try {
      await pollOnce(consumer);
      pollErrors = 0;
    } catch (error) {
      pollErrors += 1;
      consumer.logger.warn(`failure-sync: polling the ${consumer.label} queue failed, retrying`, {
        queueUrl: consumer.queueUrl,
        attempt: pollErrors,
        ...describeError(error),
      });
      await sleep(backoffDelayMs(POLL_ERROR_BACKOFF, pollErrors + 1, Math.random));
    }
  }
}

async function pollOnce(consumer: Consumer): Promise<void> {
  const { sqs, queueUrl } = consumer;
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: RECEIVE.maxMessages,
      WaitTimeSeconds: RECEIVE.waitSeconds,
      VisibilityTimeout: RECEIVE.visibilitySeconds,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const messages = (received.Messages ?? []).filter((message) => message.MessageId && message.ReceiptHandle);
  if (messages.length === 0) return;
  const records = messages.map((message) => sqsRecord(message, consumer.queueArn, consumer.config.region));
  let failedIds: Set<string>;
  try {
    const response = await consumer.handler({ Records: records });
    failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch (error) {
    consumer.logger.error(`failure-sync: the failure handler threw on a ${consumer.label} batch; every message will be delivered again`, {
      count: messages.length,
      ...describeError(error),
    });
    failedIds = new Set(records.map((record) => record.messageId));
  }
  await acknowledge(
    consumer,
    messages.filter((message) => !failedIds.has(message.MessageId as string)),
  );
  await delayRedelivery(
    consumer,
    messages.filter((message) => failedIds.has(message.MessageId as string)),
  );
}

async function acknowledge(consumer: Consumer, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  const output = await consumer.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: consumer.queueUrl,
      Entries: messages.map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle })),
    }),
  );
  // A message archived but not deleted is delivered again; the handler recognises it as a duplicate.
  for (const failure of output.Failed ?? [])
    consumer.logger.warn('failure-sync: could not delete an archived message; it will be delivered again', {
      queueUrl: consumer.queueUrl,
      ...failure,
    });
}

async function delayRedelivery(consumer: Consumer, messages: readonly Message[]): Promise<void> {
  for (const message of messages) {
    const receives = Number(message.Attributes?.ApproximateReceiveCount ?? '1');
    const delaySeconds = Math.max(1, Math.round(backoffDelayMs(REDELIVERY_BACKOFF, receives + 1, Math.random) / 1000));
    consumer.logger.warn(`failure-sync: a ${consumer.label} message was not archived; it stays in the queue and comes back`, {
      messageId: message.MessageId,
      receives,
      inSeconds: delaySeconds,
    });
    await consumer.sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: consumer.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: delaySeconds,
        }),
      )
      .catch((error: unknown) =>
        consumer.logger.warn('failure-sync: could not delay a failed message; it comes back after the visibility timeout', {
          messageId: message.MessageId,
          ...describeError(error),
        }),
      );
  }
}

async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const output = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return output.Attributes?.['QueueArn'] ?? `arn:aws:sqs:local:000000000000:${path.basename(queueUrl)}`;
}
