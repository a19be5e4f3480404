import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BufferMessage, BufferPublisher } from './types';

const entryId = (message: BufferMessage): string => `r${message.position}`;

/** One FIFO entry of a message: the fields SendMessageBatch and PublishBatch share. */
const fifoEntry = (message: BufferMessage) => ({
  Id: entryId(message),
  MessageGroupId: message.groupId,
  MessageDeduplicationId: message.deduplicationId,
});

/** A publisher over one batch call that answers with the ids of the entries it refused. */
function batchPublisher(
  description: string,
  send: (messages: readonly BufferMessage[]) => Promise<readonly { Id?: string | undefined }[] | undefined>,
): BufferPublisher {
  return {
    description,
    async publishBatch(messages) {
      const failed = new Set((await send(messages))?.map((failure) => failure.Id));
      return new Set(messages.filter((message) => failed.has(entryId(message))).map((message) => message.position));
    },
  };
}

/**
 * Publishes straight to an SQS FIFO queue (the local path, and an option in AWS).
 *
 * @example
 * const publisher = sqsPublisher(new SQSClient({}), 'https://sqs.us-east-1.amazonaws.com/123456789012/buffer.fifo');
 */
export function sqsPublisher(sqs: SQSClient, queueUrl: string): BufferPublisher {
  return batchPublisher(`SQS queue ${queueUrl}`, async (messages) => {
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message) => ({ ...fifoEntry(message), MessageBody: message.body })),
      }),
    );
    return result.Failed;
  });
}

/**
 * Publishes to an SNS FIFO topic, which fans out to the writer's SQS FIFO queue (raw delivery).
 *
 * @example
 * const publisher = snsPublisher(new SNSClient({}), 'arn:aws:sns:us-east-1:123456789012:buffer.fifo');
 */
export function snsPublisher(sns: SNSClient, topicArn: string): BufferPublisher {
  return batchPublisher(`SNS topic ${topicArn}`, async (messages) => {
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: messages.map((message) => ({ ...fifoEntry(message), Message: message.body })),
      }),
    );
    return result.Failed;
  });
}
