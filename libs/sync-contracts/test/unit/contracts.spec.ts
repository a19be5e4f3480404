import { METRIC_NAMES, METRICS_NAMESPACE, poisonRecordMessageSchema, SYNC_ENV } from '../../src';

describe('sync contracts', () => {
  it('name each environment variable once, with distinct names', () => {
    // given / when
    const names = Object.values(SYNC_ENV);

    // then
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => /^[A-Z][A-Z0-9_]*$/.test(name))).toBe(true);
  });

  it('keep the metric namespace and names the deployed alarms watch', () => {
    expect(METRICS_NAMESPACE).toBe('DynamoDbOpenSearchSync');
    expect(METRIC_NAMES).toEqual({ documentsIndexed: 'DocumentsIndexed', lostRanges: 'LostRanges' });
  });

  it("accept a poison-record message (its record an object, or a buffer message's text) and refuse any other record, naming the field", () => {
    // given
    const message = {
      kind: 'poison-record',
      reason: 'mapper_parsing_exception',
      failedAt: '2026-01-01T00:00:00.000Z',
      sequenceNumber: '4000000000000000001',
      record: { eventID: '1' },
    };

    // when
    const accepted = poisonRecordMessageSchema.safeParse(message);
    const refused = poisonRecordMessageSchema.safeParse({ ...message, record: 42 });

    // then
    expect(accepted.success).toBe(true);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'record: must be the stream record (an object), or the text of a buffer message that was not one',
    ]);
  });
});
