import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsRecord } from '@ddb-os/stream-runner';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/** The failure handler's Lambda signature (SQS event source with ReportBatchItemFailures). */
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** What the drain did so far. */
export interface DrainCounters {
  /** Messages handed to the handler (a redelivery counts again). */
  received: number;
  /** Messages the handler archived (deleted from the queue). */
  archived: number;
  /** Messages the handler reported as failed (delivered again later). */
  failed: number;
}

const VISIBILITY_TIMEOUT_SECONDS = 5;

/**
 * Plays Lambda's SQS event source for one queue: receives up to 10 messages, invokes the handler with the
 * SQS event, and deletes the messages it did not report in `batchItemFailures`.
 */
export class QueueDrain {
  readonly counters: DrainCounters = { received: 0, archived: 0, failed: 0 };

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly queueArn: string,
    private readonly handler: SqsHandler,
  ) {}

  /** One receive → invoke → delete round; resolves with the number of messages received. */
  async once(waitSeconds = 0): Promise<number> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return 0;
    this.counters.received += Messages.length;
    const response = await this.handler({ Records: Messages.map((message) => sqsRecord(message, this.queueArn)) });
    const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    const done = Messages.filter((message) => !failed.has(message.MessageId ?? ''));
    this.counters.failed += failed.size;
    this.counters.archived += done.length;
    if (done.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: done.map((message, position) => ({ Id: String(position), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
    return Messages.length;
  }

  /** Messages still in the queue, visible or in flight. */
  async remaining(): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes['ApproximateNumberOfMessages'] ?? 0) + Number(Attributes['ApproximateNumberOfMessagesNotVisible'] ?? 0);
  }
}
