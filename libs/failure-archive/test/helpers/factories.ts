import type { ArchiveHeader } from '../../src';

/** A valid stream-batch header; override any field. */
export function headerFactory(overrides: Partial<ArchiveHeader> = {}): ArchiveHeader {
  return {
    formatVersion: 1,
    kind: 'stream-batch',
    reason: 'RetryAttemptsExhausted',
    failedAt: '2026-03-04T05:06:07.000Z',
    archivedAt: '2026-03-04T05:07:00.000Z',
    table: 'orders',
    streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
    shardId: 'shardId-00000001-abc',
    range: { start: '100', end: '200' },
    lost: null,
    counts: { records: 1, expected: 1 },
    source: { messageId: 'm-1', digest: 'a'.repeat(64), sentAt: null, queueArn: null },
    details: {},
    ...overrides,
  };
}

/** A Lambda-shaped stream record. */
export function lambdaRecordFactory(sequenceNumber = '150', pk = 'PRODUCT#1'): Record<string, unknown> {
  return {
    eventID: `e-${sequenceNumber}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
    dynamodb: {
      ApproximateCreationDateTime: 1_772_600_767,
      Keys: { pk: { S: pk }, sk: { S: 'PRODUCT' } },
      NewImage: { pk: { S: pk }, sk: { S: 'PRODUCT' }, price: { N: '12345678901234567890.5' } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 80,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
