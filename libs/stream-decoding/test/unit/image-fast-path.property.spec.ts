import fc from 'fast-check';
import { z } from 'zod';
import { attributeValueSchema, isWellFormedImage, streamImageSchema } from '../../src/schemas';

/** The full zod schema of an image, which the fast path must agree with. */
const zodImage = z.record(z.string(), attributeValueSchema);

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('1E+2', '.5', '-0', 'twelve', '', '1e', 'NaN'),
);
const binary = fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.constantFrom('AAEC', 'AAE=', 'not base64!', ''));
const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const tag = fc.constantFrom('S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL', 'X', 's');

/** AttributeValue-like values: mostly well formed, with wrong tags, wrong contents and extra tags mixed in. */
const { value: attributeValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ S: fc.string() }),
    fc.record({ N: numberText }),
    fc.record({ B: binary }),
    fc.record({ SS: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }) }),
    fc.record({ NS: fc.array(numberText, { maxLength: 3 }) }),
    fc.record({ BS: fc.array(binary, { maxLength: 3 }) }),
    fc.record({ NULL: fc.oneof(fc.constant(true), fc.boolean(), scalar) }),
    fc.record({ BOOL: fc.oneof(fc.boolean(), scalar) }),
    fc.record({ M: fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 3 }) }),
    fc.record({ L: fc.array(tie('value'), { maxLength: 3 }) }),
    fc.dictionary(tag, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 3 }),
    scalar,
  ),
}));
const image = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 6 }), attributeValue, { maxKeys: 4 }),
  fc.array(attributeValue, { maxLength: 2 }),
  scalar,
);

describe('the fast path of stream image validation', () => {
  it('accepts only images the zod schema accepts', () => {
    fc.assert(
      fc.property(image, (value) => {
        if (isWellFormedImage(value)) expect(zodImage.safeParse(value).success).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves the image schema accepting exactly what the zod schema accepts (odd shapes take the slow path)', () => {
    fc.assert(
      fc.property(image, (value) => {
        expect(streamImageSchema.safeParse(value).success).toBe(zodImage.safeParse(value).success);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes the fast path for the images DynamoDB Streams sends', () => {
    const sent = {
      pk: { S: 'PRODUCT#1' },
      price: { N: '12.5' },
      tags: { SS: ['a'] },
      raw: { B: 'AAEC' },
      parts: { L: [{ M: { n: { N: '1' } } }, { NULL: true }, { BOOL: false }] },
    };
    expect(isWellFormedImage(sent)).toBe(true);
  });

  it('leaves an attribute named __proto__, at any depth, to the slow path that reports it', () => {
    expect(isWellFormedImage(JSON.parse('{"__proto__":{"S":"x"}}'))).toBe(false);
    expect(isWellFormedImage(JSON.parse('{"a":{"M":{"__proto__":{"S":"x"}}}}'))).toBe(false);
    expect(isWellFormedImage(JSON.parse('{"a":{"L":[{"M":{"__proto__":{"S":"x"}}}]}}'))).toBe(false);
    expect(streamImageSchema.safeParse(JSON.parse('{"a":{"M":{"__proto__":{"S":"x"}}}}')).error?.issues[0]?.message).toBe(
      'attribute name "__proto__" (at a.__proto__) is not supported',
    );
  });
});
