import fc from 'fast-check';
import { decodeRecord, decodeRecordChecked } from '../../src/decode-batch';
import type { NumberPolicy } from '../../src';

const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined });
/** Usually a valid value, sometimes an invalid one: most records are well formed or wrong in one field only. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });
const odd = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 3 }),
  fc.constant([]),
  fc.constant(Number.NaN),
  fc.constant(-1),
);
const attribute = mostly(
  fc.oneof(
    fc.record({ S: fc.string({ maxLength: 4 }) }),
    fc.record({ N: fc.constantFrom('1', '12.5', '-0', '1E+2', '123456789012345678901') }),
    fc.record({ B: fc.constant('AAEC') }),
    fc.record({ SS: fc.array(fc.string({ maxLength: 2 }), { maxLength: 3 }) }),
    fc.record({ NULL: fc.constant(true) }),
  ),
  fc.oneof(
    fc.record({ N: fc.constant('x') }),
    fc.record({ B: fc.constant('not base64') }),
    fc.record({ S: fc.string(), N: fc.constant('1') }),
    odd,
  ),
);
const image = mostly(fc.dictionary(fc.constantFrom('pk', 'sk', 'a', 'b'), attribute, { maxKeys: 3 }), odd);

/** Stream records: mostly what DynamoDB sends, each field sometimes missing, mistyped or out of range. */
const record = fc.record(
  {
    eventID: mostly(fc.constant('event-1'), fc.oneof(fc.constant(''), odd)),
    eventName: mostly(fc.constantFrom('INSERT', 'MODIFY', 'REMOVE'), fc.constantFrom('UPDATE', undefined)),
    eventVersion: optional(mostly(fc.constant('1.1'), odd)),
    eventSource: optional(mostly(fc.constant('aws:dynamodb'), fc.constant('aws:kinesis'))),
    awsRegion: optional(mostly(fc.constant('us-east-1'), odd)),
    eventSourceARN: optional(mostly(fc.constant('arn:aws:dynamodb:us-east-1:1:table/t/stream/x'), odd)),
    dynamodb: mostly(
      fc.record(
        {
          ApproximateCreationDateTime: mostly(
            fc.constantFrom(1_767_225_600, 1_767_225_600.7, 0, -0),
            fc.oneof(fc.constant(Number.POSITIVE_INFINITY), odd),
          ),
          Keys: mostly(image, fc.constant(undefined)),
          NewImage: optional(image),
          OldImage: optional(image),
          SequenceNumber: mostly(fc.constantFrom('100000000000000000001', '1'), fc.oneof(fc.constantFrom('1'.repeat(41), '12a'), odd)),
          SizeBytes: optional(mostly(fc.constantFrom(128, 0), fc.oneof(fc.constantFrom(1.5, -3, 2 ** 53), odd))),
          StreamViewType: optional(mostly(fc.constantFrom('NEW_AND_OLD_IMAGES', 'KEYS_ONLY', 'NEW_IMAGE'), fc.constant('new'))),
        },
        { requiredKeys: ['ApproximateCreationDateTime', 'SequenceNumber'] },
      ),
      odd,
    ),
    userIdentity: optional(
      mostly(
        fc.record({ type: fc.constant('Service'), principalId: fc.constantFrom('dynamodb.amazonaws.com', 'x') }),
        fc.oneof(fc.record({ type: fc.constant(1) }), odd),
      ),
    ),
  },
  { requiredKeys: ['eventID', 'dynamodb'] },
);

describe('decodeRecord: the fast path for well-formed records', () => {
  it('decodes or rejects every record exactly as the zod-checked path does', () => {
    let decoded = 0;
    fc.assert(
      fc.property(record, fc.constantFrom<NumberPolicy>('string', 'reject'), (raw, numberPolicy) => {
        const decoding = decodeRecord(raw, { numberPolicy });
        expect(decoding).toStrictEqual(decodeRecordChecked(raw, { numberPolicy }));
        if (decoding.ok) decoded += 1;
      }),
      { numRuns: 5_000 },
    );
    // then both outcomes were exercised, not only rejections
    expect(decoded).toBeGreaterThan(500);
  });
});
