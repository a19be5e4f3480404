import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BufferMessage, BufferPublisher } from './types';

const entryId = (message: BufferMessage): string => `r${message.position}`;

function rejectedPositions(messages: readonly BufferMessage[], failedIds: readonly (string | undefined)[]): Set<number> {
  const failed = new Set(failedIds);
  return new Set(messages.filter((message) => failed.has(entryId(message))).map((message) => message.position));
}

/** Publishes straight to an SQS FIFO queue (the local path, and an option in AWS). */
export class SqsPublisher implements BufferPublisher {
  readonly description: string;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.description = `SQS queue ${queueUrl}`;
  }

  async publishBatch(messages: readonly BufferMessage[]): Promise<Set<number>> {
    const result = await this.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: messages.map((message) => ({ Id: entryId(message), MessageBody: message.body, MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId })),
      }),
    );
    return rejectedPositions(messages, (result.Failed ?? []).map((failure) => failure.Id));
  }
}

/** Publishes to an SNS FIFO topic, which fans out to the writer's SQS FIFO queue (raw delivery). */
export class SnsPublisher implements BufferPublisher {
  readonly description: string;

  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {
    this.description = `SNS topic ${topicArn}`;
  }

  async publishBatch(messages: readonly BufferMessage[]): Promise<Set<number>> {
    const result = await this.sns.send(
      new PublishBatchCommand({
        TopicArn: this.topicArn,
        PublishBatchRequestEntries: messages.map((message) => ({ Id: entryId(message), Message: message.body, MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId })),
      }),
    );
    return rejectedPositions(messages, (result.Failed ?? []).map((failure) => failure.Id));
  }
}
