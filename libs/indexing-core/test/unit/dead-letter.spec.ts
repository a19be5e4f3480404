import { ShardHistory, TEST_STREAM_ARN } from '@ddb-os/testing';
import { parkPoison, poisonRecordMessage, poisonRecordMessageSchema } from '../../src/dead-letter';
import { fitMessage } from '../../src/poison-message';
import { recordingLogger } from '@ddb-os/lambda-runtime';
import { sqsBatches } from '../../src/sqs-batches';
import { fakeDeadLetter } from '../helpers/factories';

describe('sqsBatches', () => {
  it('puts at most ten entries in a call, in order', () => {
    // when
    const chunks = [
      ...sqsBatches(
        Array.from({ length: 23 }, (_, n) => n),
        () => 1,
        1_000,
      ),
    ];
    // then
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 3]);
    expect(chunks.flat()).toEqual(Array.from({ length: 23 }, (_, n) => n));
  });

  it('keeps the bytes of one call within the limit, and gives an oversized entry a call of its own', () => {
    // when
    const chunks = [...sqsBatches([40, 40, 40, 150, 10], (bytes) => bytes, 100)];
    // then
    expect(chunks).toEqual([[40, 40], [40], [150], [10]]);
  });
});

describe('poisonRecordMessage', () => {
  it('keeps the whole record and reads its table and stream ARN', () => {
    // given
    const record = new ShardHistory().put({ pk: 'a', sk: '1' });
    // when
    const message = poisonRecordMessage(record, 'mapper_parsing_exception', new Date('2026-01-01T00:00:00Z'), '42');
    // then
    expect(message).toEqual({
      kind: 'poison-record',
      reason: 'mapper_parsing_exception',
      failedAt: '2026-01-01T00:00:00.000Z',
      table: 'demo-items',
      streamArn: TEST_STREAM_ARN,
      sequenceNumber: '42',
      record,
    });
  });

  it('keeps a body that is not a record as it is', () => {
    expect(poisonRecordMessage('not json', 'malformed', new Date(0), undefined)).toMatchObject({
      table: undefined,
      streamArn: undefined,
      record: 'not json',
    });
  });
});

describe('parkPoison', () => {
  it('resolves with the sources of the refused messages, each logged at error', async () => {
    // given
    const logger = recordingLogger();
    const poison = [{ message: poisonRecordMessage({}, 'bad', new Date(0), '7'), source: 'm7' }];
    // when
    const refused = await parkPoison(poison, { deadLetter: fakeDeadLetter(false), logger });
    const parked = await parkPoison(poison, { deadLetter: fakeDeadLetter(true), logger });
    // then
    expect(refused).toEqual(['m7']);
    expect(parked).toEqual([]);
    expect(logger.lines.map((line) => line.level)).toEqual(['error', 'warn']);
  });
});

describe('poisonRecordMessageSchema, the DLQ contract', () => {
  const record = new ShardHistory().put({ pk: 'a', sk: '1', blob: 'x'.repeat(4_000) });

  it.each([
    ['a stream record', poisonRecordMessage(record, 'mapper_parsing_exception', new Date(0), '42')],
    [
      'the text of a buffer message that was not a record',
      poisonRecordMessage('{"half', 'malformed buffer message m-1: not JSON', new Date(0), undefined),
    ],
    [
      'a record without a readable sequence number',
      poisonRecordMessage({ garbage: true }, 'malformed stream record: invalid', new Date(0), undefined),
    ],
  ])('accepts every message the sender builds: %s, whole or cut to fit', (_case, message) => {
    for (const maxBytes of [256 * 1024, 1_500]) {
      // when
      const fitted = fitMessage(message, maxBytes);
      // then
      if (!fitted.ok) throw new Error(fitted.reason);
      expect(poisonRecordMessageSchema.safeParse(JSON.parse(fitted.body)).error).toBeUndefined();
    }
  });
});
