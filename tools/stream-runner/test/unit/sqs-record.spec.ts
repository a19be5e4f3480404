import { sqsRecord } from '../../src/sqs-record';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:dlq';

describe('sqsRecord', () => {
  it('has the shape Lambda delivers', () => {
    const record = sqsRecord({ MessageId: 'm1', ReceiptHandle: 'r1', Body: 'b', Attributes: { SentTimestamp: '1000' } }, ARN);
    expect(record).toMatchObject({
      messageId: 'm1',
      receiptHandle: 'r1',
      body: 'b',
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      attributes: { SentTimestamp: '1000' },
    });
  });
});
