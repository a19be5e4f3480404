import type { Message } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

/**
 * The SQS record Lambda's SQS event source would deliver for a received message: the one shape the local
 * queue consumers (the demo's failure sync, the chaos run's drains) hand to an SQS handler.
 *
 * @example
 * sqsRecord({ MessageId: 'm1', ReceiptHandle: 'r', Body: '{}' }, 'arn:aws:sqs:us-east-1:000000000000:dlq').body; // '{}'
 */
export function sqsRecord(message: Message, queueArn: string, region = 'us-east-1'): SQSRecord {
  const attributes = message.Attributes ?? {};
  const now = String(Date.now());
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes['ApproximateReceiveCount'] ?? '1',
      SentTimestamp: attributes['SentTimestamp'] ?? now,
      SenderId: attributes['SenderId'] ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes['ApproximateFirstReceiveTimestamp'] ?? now,
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
