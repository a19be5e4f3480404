import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  DeleteMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { lambdaContext } from '@ddb-os/testing';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface QueuePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: QueueHandler;
  /** Like a redrive policy: a message received this many times without success goes to `redriveQueueUrl`. */
  readonly maxReceiveCount: number;
  readonly redriveQueueUrl: string;
  /** How long a failed message stays invisible before it is delivered again. */
  readonly retryDelaySeconds: number;
  /** Messages per invocation, 1–10 (SQS FIFO event sources take at most 10). */
  readonly batchSize?: number;
}

export interface PollerStats {
  invocations: number;
  deleted: number;
  failed: number;
  redriven: number;
}

/**
 * What Lambda's SQS event source mapping does, for the local stack: long-polls the FIFO queue,
 * invokes the handler with the SQS event shape, deletes the messages that succeeded, leaves the
 * reported ones for redelivery after `retryDelaySeconds`, and moves a message that was received
 * `maxReceiveCount` times to the redrive queue (ElasticMQ's redrive is not relied on).
 */
export class QueuePoller {
  readonly stats: PollerStats = { invocations: 0, deleted: 0, failed: 0, redriven: 0 };
  /** Errors of the poll loop itself (the handler's errors count as failed deliveries instead). */
  readonly errors: string[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: QueuePollerOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.pollOnce().catch(async (error: Error) => {
        this.errors.push(error.message);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
    }
  }

  private async pollOnce(): Promise<void> {
    const received = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: this.options.batchSize ?? 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length > 0) await this.deliver(messages);
  }

  private async deliver(messages: readonly Message[]): Promise<void> {
    const exhausted = messages.filter((message) => receiveCount(message) > this.options.maxReceiveCount);
    for (const message of exhausted) await this.redrive(message);
    const deliverable = messages.filter((message) => !exhausted.includes(message));
    if (deliverable.length === 0) return;

    this.stats.invocations += 1;
    const event: SQSEvent = { Records: deliverable.map((message) => this.sqsRecord(message)) };
    const failedIds = await this.options.handler(event, lambdaContext()).then(
      (response) => new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier)),
      () => new Set(deliverable.map((message) => message.MessageId ?? '')),
    );
    const succeeded = deliverable.filter((message) => !failedIds.has(message.MessageId ?? ''));
    const failed = deliverable.filter((message) => failedIds.has(message.MessageId ?? ''));
    if (succeeded.length > 0) {
      await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: succeeded.map((message, i) => ({ Id: `d${i}`, ReceiptHandle: message.ReceiptHandle ?? '' })),
        }),
      );
    }
    for (const message of failed) {
      await this.options.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.options.queueUrl,
          ReceiptHandle: message.ReceiptHandle ?? '',
          VisibilityTimeout: this.options.retryDelaySeconds,
        }),
      );
    }
    this.stats.deleted += succeeded.length;
    this.stats.failed += failed.length;
  }

  private async redrive(message: Message): Promise<void> {
    await this.options.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.redriveQueueUrl,
        MessageBody: message.Body ?? '',
        MessageGroupId: message.Attributes?.MessageGroupId ?? 'redrive',
        MessageDeduplicationId: message.Attributes?.MessageDeduplicationId ?? message.MessageId ?? '',
      }),
    );
    await this.options.sqs.send(new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: message.ReceiptHandle ?? '' }));
    this.stats.redriven += 1;
  }

  private sqsRecord(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
        ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
        ...(attributes.MessageDeduplicationId ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: 'us-east-1',
    };
  }
}

const receiveCount = (message: Message): number => Number(message.Attributes?.ApproximateReceiveCount ?? '1');
