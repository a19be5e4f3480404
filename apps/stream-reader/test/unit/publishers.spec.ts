import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { snsPublisher, sqsPublisher } from '../../src/publishers';
import type { BufferMessage } from '../../src/types';

const messages: BufferMessage[] = [
  { position: 3, body: '{"a":1}', bytes: 7, groupId: 'g1', deduplicationId: 'e3' },
  { position: 4, body: '{"b":2}', bytes: 7, groupId: 'g2', deduplicationId: 'e4' },
];

/** A client double that records the command it was sent and answers with `failedIds` as refused entries. */
function recordingClient(failedIds: string[]) {
  const sent: unknown[] = [];
  return { sent, client: { send: async (command: unknown) => (sent.push(command), { Failed: failedIds.map((Id) => ({ Id })) }) } };
}

describe('buffer publishers', () => {
  it('sends one SendMessageBatch with group and deduplication ids, and maps refused entries back to positions', async () => {
    // given
    const { sent, client } = recordingClient(['r4']);
    // when
    const refused = await sqsPublisher(client as unknown as SQSClient, 'http://q/buffer.fifo').publishBatch(messages);
    // then
    expect(sent[0]).toBeInstanceOf(SendMessageBatchCommand);
    expect((sent[0] as SendMessageBatchCommand).input).toEqual({
      QueueUrl: 'http://q/buffer.fifo',
      Entries: [
        { Id: 'r3', MessageBody: '{"a":1}', MessageGroupId: 'g1', MessageDeduplicationId: 'e3' },
        { Id: 'r4', MessageBody: '{"b":2}', MessageGroupId: 'g2', MessageDeduplicationId: 'e4' },
      ],
    });
    expect([...refused]).toEqual([4]);
  });

  it('sends one PublishBatch to the FIFO topic with group and deduplication ids', async () => {
    // given
    const { sent, client } = recordingClient([]);
    // when
    const refused = await snsPublisher(client as unknown as SNSClient, 'arn:aws:sns:us-east-1:123456789012:buffer.fifo').publishBatch(
      messages,
    );
    // then
    expect(sent[0]).toBeInstanceOf(PublishBatchCommand);
    expect((sent[0] as PublishBatchCommand).input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:buffer.fifo',
      PublishBatchRequestEntries: [
        { Id: 'r3', Message: '{"a":1}', MessageGroupId: 'g1', MessageDeduplicationId: 'e3' },
        { Id: 'r4', Message: '{"b":2}', MessageGroupId: 'g2', MessageDeduplicationId: 'e4' },
      ],
    });
    expect(refused.size).toBe(0);
  });
});
