import fc from 'fast-check';
import { imageToJsonDirect, toJsonSafe, toJsonSafeChecked } from '../../src/json-safe';
import type { AnyAttributeValue, NumberPolicy } from '../../src';

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.maxSafeInteger().map(String),
  fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom(
    '1E+2',
    '1e+21',
    '1e21',
    '.5',
    '-0',
    '0',
    '12.50',
    '9007199254740992',
    '-9007199254740993',
    'Infinity',
    'NaN',
    'twelve',
    '',
    '1e',
    '0x10',
  ),
);
const binary = fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.constantFrom('AAEC', 'AAE=', 'not base64!', ''));
const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const tag = fc.constantFrom('S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL', 'X', '__proto__');
const name = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '1', 'a.b'));

/** AttributeValue-like values: mostly what DynamoDB sends, with wrong tags, wrong contents, duplicates and extra tags. */
const { value: attributeValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ S: fc.string() }),
    fc.record({ N: numberText }),
    fc.record({ B: binary }),
    fc.record({ SS: fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.integer()), { maxLength: 4 }) }),
    fc.record({ NS: fc.array(numberText, { maxLength: 4 }) }),
    fc.record({ BS: fc.array(binary, { maxLength: 4 }) }),
    fc.record({ NULL: fc.oneof(fc.constant(true), scalar) }),
    fc.record({ BOOL: fc.oneof(fc.boolean(), scalar) }),
    fc.record({ M: fc.dictionary(name, tie('value'), { maxKeys: 3 }) }),
    fc.record({ L: fc.array(tie('value'), { maxLength: 3 }) }),
    fc.dictionary(tag, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 3 }),
    scalar,
  ),
}));
/** JSON.parse keeps "__proto__" as an own data property, as a Lambda event does. */
const image = fc
  .dictionary(name, attributeValue, { maxKeys: 4 })
  .map(
    (value) =>
      JSON.parse(JSON.stringify(value, (_key, member: unknown) => (member instanceof Uint8Array ? { B: 'AAEC' } : member))) as unknown,
  )
  .chain((parsed) => fc.oneof(fc.constant(parsed), fc.dictionary(fc.string({ maxLength: 4 }), attributeValue, { maxKeys: 4 })));
const policy = fc.constantFrom<NumberPolicy>('string', 'reject');

type Outcome = { value: unknown } | { error: string; message: string };

function outcome(convert: () => unknown): Outcome {
  try {
    return { value: convert() };
  } catch (error) {
    return { error: error instanceof Error ? error.constructor.name : typeof error, message: String(error) };
  }
}

describe('toJsonSafe: the one-walk conversion', () => {
  it('returns, whenever it returns, exactly what the three-walk reference returns', () => {
    fc.assert(
      fc.property(image, policy, (value, numberPolicy) => {
        const direct = imageToJsonDirect(value, numberPolicy);
        if (direct !== undefined)
          expect(direct).toStrictEqual(toJsonSafeChecked(value as Record<string, AnyAttributeValue>, '', numberPolicy));
      }),
      { numRuns: 3_000 },
    );
  });

  it('leaves toJsonSafe giving what the reference gives, errors and their messages included', () => {
    fc.assert(
      fc.property(image, policy, (value, numberPolicy) => {
        const image = value as Record<string, AnyAttributeValue>;
        const actual = outcome(() => toJsonSafe(image, { numberPolicy, pathPrefix: 'NewImage' }));
        expect(actual).toStrictEqual(outcome(() => toJsonSafeChecked(image, 'NewImage', numberPolicy)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes the one walk for the images DynamoDB Streams sends', () => {
    // given an image of every type, as a Lambda event carries it
    const sent = {
      pk: { S: 'PRODUCT#1' },
      price: { N: '12.5' },
      big: { N: '12345678901234567890' },
      tags: { SS: ['b', 'a'] },
      sizes: { NS: ['10', '9.5'] },
      raw: { B: 'AAEC' },
      parts: { L: [{ M: { n: { N: '1' } } }, { NULL: true }, { BOOL: false }] },
    };
    // when
    const json = imageToJsonDirect(sent, 'string');
    // then
    expect(json).toStrictEqual({
      pk: 'PRODUCT#1',
      price: 12.5,
      big: '12345678901234567890',
      tags: ['a', 'b'],
      sizes: [9.5, 10],
      raw: 'AAEC',
      parts: [{ n: 1 }, null, false],
    });
  });
});
