import { ShardHistory } from '@ddb-os/testing';
import { bufferMessage, deduplicationId, UNDECODABLE_GROUP } from '../../src/buffer-message';

describe('bufferMessage', () => {
  it('hashes a document id longer than the 128-character FIFO group limit', () => {
    // given
    const record = new ShardHistory().put({ pk: 'k'.repeat(300), sk: 's' });
    // when
    const message = bufferMessage(record, 0, ['pk', 'sk']);
    // then
    expect(message.groupId).toMatch(/^g\.[\w-]{43}$/);
  });

  it('puts a record that cannot be decoded into a shared group, for the writer to dead-letter', () => {
    expect(bufferMessage({ eventID: 'e1', eventName: 'UPSERT' }, 0, ['pk', 'sk']).groupId).toBe(UNDECODABLE_GROUP);
  });

  it('falls back to the sequence number, then to a digest, for the deduplication id', () => {
    expect(deduplicationId({ dynamodb: { SequenceNumber: '123' } }, '{}')).toBe('s.123');
    expect(deduplicationId({}, '{}')).toMatch(/^d\.[\w-]{43}$/);
  });
});
