import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { backoffDelayMs, type RetryPolicy } from '@ddb-os/index-writer';
import { sleep } from '@ddb-os/node-io';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorMessage } from './async-utils';
import { InvalidRunnerOptionsError } from './errors';
import { createLambdaContext } from './lambda-context';
import { silentLogger } from './logger';
import { sqsRecord } from './sqs-record';
import type { RunnerLogger } from './types';

/** A Lambda handler for Lambda's SQS event source with `ReportBatchItemFailures`. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** What an event source did so far. */
export interface SqsEventSourceCounters {
  /** Messages handed to the handler (a redelivery counts again). */
  received: number;
  /** Messages the handler took (deleted from the queue). */
  succeeded: number;
  /** Messages the handler reported as failed or threw on (delivered again later). */
  failed: number;
}

/** Options of {@link SqsEventSource}. */
export interface SqsEventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** The queue's ARN, as records carry it (`eventSourceARN`); see {@link queueArnOf}. */
  readonly queueArn: string;
  readonly handler: SqsBatchHandler;
  /** Messages per invocation, 1–10. @default 10 */
  readonly batchSize?: number;
  /** How long received messages stay invisible (and the handler's time limit in its context), 1–43200 s. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Long poll of each receive of the running loop (`start()`), 0–20 s. @default 1 */
  readonly waitSeconds?: number;
  /**
   * When a failed message comes back: its visibility is set to `backoffDelayMs(redelivery, receives + 1)` (at least
   * 1 s), so a message that keeps failing comes back ever later, never dropped.
   * @default { maxAttempts: unbounded, baseDelayMs: 2000, maxDelayMs: 300000 }
   */
  readonly redelivery?: RetryPolicy;
  /** `awsRegion` of the records. @default 'us-east-1' */
  readonly region?: string;
  /** Names the queue in log lines and the function in the handler's context. @default the queue's name */
  readonly label?: string;
  /** @default silentLogger */
  readonly logger?: RunnerLogger;
  /** @default Math.random */
  readonly random?: () => number;
}

const UNBOUNDED = Number.MAX_SAFE_INTEGER;
const DEFAULT_REDELIVERY: RetryPolicy = { maxAttempts: UNBOUNDED, baseDelayMs: 2_000, maxDelayMs: 300_000 };
/** A receive that fails (the queue server is down) is tried again after a growing, jittered pause. */
const POLL_ERROR_BACKOFF: RetryPolicy = { maxAttempts: UNBOUNDED, baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Lambda's SQS event source mapping, locally, for one queue: receives up to `batchSize` messages, invokes the
 * handler with the SQS event Lambda would send, deletes the messages it did not report in `batchItemFailures`,
 * and makes the reported ones (all of them when the handler throws) visible again after a jittered, growing
 * delay. `once()` runs one round; `start()` polls until `stop()`.
 *
 * @example
 * const source = new SqsEventSource({ sqs, queueUrl, queueArn: await queueArnOf(sqs, queueUrl), handler });
 * source.start();
 * // … later
 * await source.stop();
 */
export class SqsEventSource {
  readonly counters: SqsEventSourceCounters = { received: 0, succeeded: 0, failed: 0 };
  private readonly settings: Required<Omit<SqsEventSourceOptions, 'sqs' | 'queueUrl' | 'queueArn' | 'handler'>>;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: SqsEventSourceOptions) {
    this.settings = {
      batchSize: options.batchSize ?? 10,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      waitSeconds: options.waitSeconds ?? 1,
      redelivery: options.redelivery ?? DEFAULT_REDELIVERY,
      region: options.region ?? 'us-east-1',
      label: options.label ?? options.queueUrl.split('/').pop() ?? options.queueUrl,
      logger: options.logger ?? silentLogger,
      random: options.random ?? Math.random,
    };
    assertValidSettings(this.settings);
  }

  /** One receive → invoke → delete round; resolves with the number of messages received. */
  async once(waitSeconds = 0): Promise<number> {
    const { Messages = [] } = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: this.settings.batchSize,
        VisibilityTimeout: this.settings.visibilityTimeoutSeconds,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = Messages.filter((message) => message.MessageId !== undefined && message.ReceiptHandle !== undefined);
    if (messages.length === 0) return 0;
    this.counters.received += messages.length;
    const failedIds = await this.invoke(messages);
    const succeeded = messages.filter((message) => !failedIds.has(message.MessageId as string));
    const failed = messages.filter((message) => failedIds.has(message.MessageId as string));
    this.counters.succeeded += succeeded.length;
    this.counters.failed += failed.length;
    await this.acknowledge(succeeded);
    await this.delayRedelivery(failed);
    return messages.length;
  }

  /** Polls until `stop()`; a round that fails is logged and tried again after a jittered pause. */
  start(): void {
    this.running ??= this.poll();
  }

  /** Ends the polling after its current round. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /** Messages still in the queue, visible or in flight. */
  async remaining(): Promise<number> {
    const { Attributes = {} } = await this.options.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.options.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes['ApproximateNumberOfMessages'] ?? 0) + Number(Attributes['ApproximateNumberOfMessagesNotVisible'] ?? 0);
  }

  private async poll(): Promise<void> {
    let pollErrors = 0;
    while (!this.stopping.signal.aborted) {
      try {
        await this.once(this.settings.waitSeconds);
        pollErrors = 0;
      } catch (error) {
        pollErrors += 1;
        this.log('warn', `sqs-event-source: a round on the ${this.settings.label} queue failed; trying again`, {
          queueUrl: this.options.queueUrl,
          attempt: pollErrors,
          error: errorMessage(error),
        });
        await sleep(backoffDelayMs(POLL_ERROR_BACKOFF, pollErrors + 1, this.settings.random), this.stopping.signal);
      }
    }
  }

  /** The ids the handler reported as failed; every id when it threw (Lambda delivers the whole batch again). */
  private async invoke(messages: readonly Message[]): Promise<Set<string>> {
    const records = messages.map((message) => sqsRecord(message, this.options.queueArn, this.settings.region));
    try {
      const response = await this.options.handler({ Records: records }, this.context());
      return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.log('error', `sqs-event-source: the handler threw on a ${this.settings.label} batch; every message will be delivered again`, {
        count: messages.length,
        error: errorMessage(error),
      });
      return new Set(records.map((record) => record.messageId));
    }
  }

  private context(): Context {
    const functionName = `local-${this.settings.label}`;
    return createLambdaContext({
      functionName,
      functionArn: `arn:aws:lambda:${this.settings.region}:000000000000:function:${functionName}`,
      timeoutMs: this.settings.visibilityTimeoutSeconds * 1000,
    });
  }

  private async acknowledge(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const output = await this.options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: messages.map((message, position) => ({ Id: `m${position}`, ReceiptHandle: message.ReceiptHandle })),
      }),
    );
    // A message handled but not deleted is delivered again: handlers are idempotent, as under Lambda.
    for (const failure of output.Failed ?? [])
      this.log('warn', 'sqs-event-source: could not delete a handled message; it will be delivered again', {
        queueUrl: this.options.queueUrl,
        ...failure,
      });
  }

  private async delayRedelivery(messages: readonly Message[]): Promise<void> {
    for (const message of messages) {
      const receives = Number(message.Attributes?.ApproximateReceiveCount ?? '1');
      const delaySeconds = Math.max(1, Math.round(backoffDelayMs(this.settings.redelivery, receives + 1, this.settings.random) / 1000));
      this.log('warn', `sqs-event-source: a ${this.settings.label} message failed; it stays in the queue and comes back`, {
        messageId: message.MessageId,
        receives,
        inSeconds: delaySeconds,
      });
      await this.options.sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: this.options.queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: delaySeconds,
          }),
        )
        .catch((error: unknown) =>
          this.log('warn', 'sqs-event-source: could not delay a failed message; it comes back after the visibility timeout', {
            messageId: message.MessageId,
            error: errorMessage(error),
          }),
        );
    }
  }

  private log(level: 'warn' | 'error', message: string, data: Record<string, unknown>): void {
    this.settings.logger.log(level, message, data);
  }
}

/**
 * The ARN of a queue, as SQS records carry it.
 *
 * @example
 * const queueArn = await queueArnOf(sqs, 'http://127.0.0.1:9324/000000000000/indexer-dlq');
 */
export async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const output = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return output.Attributes?.['QueueArn'] ?? `arn:aws:sqs:local:000000000000:${queueUrl.split('/').pop() ?? queueUrl}`;
}

function assertValidSettings(settings: { batchSize: number; visibilityTimeoutSeconds: number; waitSeconds: number }): void {
  const issues = [
    ...wholeNumberIssue('batchSize', settings.batchSize, 1, 10),
    ...wholeNumberIssue('visibilityTimeoutSeconds', settings.visibilityTimeoutSeconds, 1, 43_200),
    ...wholeNumberIssue('waitSeconds', settings.waitSeconds, 0, 20),
  ];
  if (issues.length > 0) throw new InvalidRunnerOptionsError(issues);
}

function wholeNumberIssue(name: string, value: number, min: number, max: number): string[] {
  return Number.isInteger(value) && value >= min && value <= max
    ? []
    : [`${name}: expected a whole number from ${min} to ${max}, got ${value}`];
}
