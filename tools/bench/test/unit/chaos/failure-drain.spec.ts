import type { SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QueueDrain, type SqsHandler } from '../../../src/chaos/failure-drain';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:dlq';

/** An SQS client that delivers `messages` once and records deletions. */
function fakeSqs(messages: { MessageId: string; ReceiptHandle: string; Body: string }[]) {
  const deleted: string[] = [];
  let delivered = false;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof ReceiveMessageCommand) {
        const batch = delivered ? [] : messages;
        delivered = true;
        return { Messages: batch };
      }
      if (command instanceof DeleteMessageBatchCommand)
        deleted.push(...(command.input.Entries ?? []).map((entry) => entry.ReceiptHandle ?? ''));
      return {};
    },
  };
  return { client: client as unknown as SQSClient, deleted };
}

describe('QueueDrain', () => {
  it('invokes the handler with an SQS event and deletes only the messages it did not report as failed', async () => {
    // given two messages, the handler failing the second
    const { client, deleted } = fakeSqs([
      { MessageId: 'm1', ReceiptHandle: 'r1', Body: '{"a":1}' },
      { MessageId: 'm2', ReceiptHandle: 'r2', Body: '{"a":2}' },
    ]);
    const seen: string[] = [];
    const handler: SqsHandler = async (event) => {
      seen.push(...event.Records.map((record) => record.body));
      return { batchItemFailures: [{ itemIdentifier: 'm2' }] };
    };
    const drain = new QueueDrain(client, 'http://sqs/dlq', ARN, handler);
    // when one round runs, then a second finds nothing
    expect(await drain.once()).toBe(2);
    expect(await drain.once()).toBe(0);
    // then
    expect(seen).toEqual(['{"a":1}', '{"a":2}']);
    expect(deleted).toEqual(['r1']);
    expect(drain.counters).toEqual({ received: 2, succeeded: 1, failed: 1 });
  });
});
