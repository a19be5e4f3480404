import { ShardHistory } from '@ddb-os/testing';
import type { PoisonRecordMessage } from '../../src/dead-letter';
import { fitMessage, MAX_POISON_REASON_CHARS } from '../../src/poison-message';

const LIMIT = 256 * 1024;

function poisonOf(
  record: PoisonRecordMessage['record'] & { eventSourceARN?: string; dynamodb?: { SequenceNumber?: string } },
  reason: string,
): PoisonRecordMessage {
  return {
    kind: 'poison-record',
    reason,
    failedAt: '2026-12-04T00:00:00.000Z',
    table: 'demo-items',
    streamArn: record.eventSourceARN,
    sequenceNumber: record.dynamodb?.SequenceNumber,
    record,
  };
}

function parsed(
  fitted: ReturnType<typeof fitMessage>,
): Record<string, unknown> & { record: { dynamodb: Record<string, unknown> }; reason: string } {
  if (!fitted.ok) throw new Error(`expected a body, got: ${fitted.reason}`);
  expect(Buffer.byteLength(fitted.body)).toBeLessThanOrEqual(LIMIT);
  return JSON.parse(fitted.body);
}

describe('fitMessage', () => {
  it('keeps a message that fits as it is', () => {
    const record = new ShardHistory().put({ pk: 'a', sk: '1', size: 5 });
    const message = poisonOf(record, 'mapper_parsing_exception');
    expect(fitMessage(message, LIMIT)).toEqual({ ok: true, body: JSON.stringify(message) });
  });

  it('bounds a 350 KB reason with a marker and keeps keys, sequence number, table and stream ARN', () => {
    // given: OpenSearch quotes a 350 KB string it could not parse as a long, twice (the 717 KB message)
    const value = '9'.repeat(350 * 1024);
    const record = new ShardHistory().put({ pk: 'a', sk: '1', size: value });
    const reason = `400 mapper_parsing_exception: failed to parse field [size] of type [long] in document with id 'x'. Preview of field's value: '${value}' (caused by: For input string: "${value}")`;
    // when
    const message = parsed(fitMessage(poisonOf(record, reason), LIMIT));
    // then
    expect(message).toMatchObject({
      table: 'demo-items',
      streamArn: record.eventSourceARN,
      sequenceNumber: record.dynamodb?.SequenceNumber,
      truncated: true,
    });
    expect(message.record.dynamodb['Keys']).toEqual(record.dynamodb?.Keys);
    expect(message.reason.startsWith('400 mapper_parsing_exception: failed to parse field [size] of type [long]')).toBe(true);
    expect(message.reason).toMatch(new RegExp(`\\[reason truncated: ${reason.length} characters in all\\]$`));
    expect(message.reason.length).toBeLessThan(MAX_POISON_REASON_CHARS + 100);
  });

  it('drops the images before anything else once the reason is bounded, and says so', () => {
    const record = new ShardHistory().put({ pk: 'a', sk: '1', blob: 'x'.repeat(300 * 1024) });
    const message = parsed(fitMessage(poisonOf(record, 'document too large'), LIMIT));
    expect(message).toMatchObject({
      reason: 'document too large',
      truncated: true,
      truncatedParts: ['images'],
      record: { eventID: record.eventID, dynamodb: { Keys: record.dynamodb?.Keys, SequenceNumber: record.dynamodb?.SequenceNumber } },
    });
    expect(message.record.dynamodb).not.toHaveProperty('NewImage');
  });

  it('reduces a malformed record to its event fields, keys and sequence number when it is still too large', () => {
    // given: the bulk of the record is an unknown field, not an image
    const record = { ...new ShardHistory().put({ pk: 'a', sk: '1' }), junk: 'y'.repeat(300 * 1024) };
    const message = parsed(fitMessage(poisonOf(record, 'malformed stream record: junk'), LIMIT));
    expect(message).toMatchObject({
      truncatedParts: ['images', 'record'],
      record: { eventID: record.eventID, dynamodb: { Keys: record.dynamodb?.Keys, SequenceNumber: record.dynamodb?.SequenceNumber } },
    });
    expect(message.record).not.toHaveProperty('junk');
  });

  it('shortens the reason to the room left under a small limit', () => {
    const record = new ShardHistory().put({ pk: 'a', sk: '1' });
    const fitted = fitMessage(poisonOf(record, 'r'.repeat(5_000)), 2_048);
    expect(fitted.ok && Buffer.byteLength(fitted.body)).toBeLessThanOrEqual(2_048);
    expect(fitted.ok && (JSON.parse(fitted.body) as PoisonRecordMessage).reason).toMatch(
      /^r+ … \[reason truncated: 5000 characters in all\]$/,
    );
  });

  it('refuses, with the reason, a message whose keys alone exceed the limit (the record is delivered again)', () => {
    const record = new ShardHistory().put({ pk: 'k'.repeat(2_000), sk: '1' });
    expect(fitMessage(poisonOf(record, 'bad'), 1_024)).toEqual({
      ok: false,
      reason: expect.stringMatching(/even cut down to its keys.*over the dead-letter limit of 1024 bytes \(DLQ_MAX_MESSAGE_BYTES\)/),
    });
  });
});
