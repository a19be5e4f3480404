import { NumberValueImpl, marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamsAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import fc from 'fast-check';
import { decodeBatch, toLambdaEvent, toLambdaRecord, type JsonValue } from '../../src';
import { AWS_REGION, STREAM_ARN, overTheWire, sdkRecord } from '../helpers/factories';

/** A native value for `marshall`, paired with the JSON the decoder must give back (an independent oracle). */
type Case = { native: unknown; json: JsonValue };

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const isSafe = (value: bigint): boolean => value <= MAX_SAFE && value >= -MAX_SAFE;

const stringCase = fc.string().map((s): Case => ({ native: s, json: s }));
const safeIntegerCase = fc.maxSafeInteger().map((n): Case => ({ native: n, json: n }));
const doubleCase = fc.double({ min: -1e15, max: 1e15, noNaN: true }).map((d): Case => ({ native: d, json: Object.is(d, -0) ? 0 : d }));
const bigIntegerCase = fc
  .bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n })
  .map((b): Case => ({ native: b, json: isSafe(b) ? Number(b) : b.toString() }));
/** ≥ 18 significant digits, first and last non-zero: no double's shortest form can equal it. */
const longDecimalCase = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.integer({ min: 1, max: 9 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 16, maxLength: 34 }),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 18 }),
  )
  .map(([sign, first, middle, last, integerDigits]): Case => {
    const digits = `${first}${middle}${last}`;
    const text = `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
    return { native: NumberValueImpl.from(text), json: text };
  });
const binaryCase = fc.uint8Array({ maxLength: 12 }).map((bytes): Case => ({ native: bytes, json: base64(bytes) }));
const scalarCase = fc.oneof(
  stringCase,
  safeIntegerCase,
  doubleCase,
  bigIntegerCase,
  longDecimalCase,
  binaryCase,
  fc.boolean().map((b): Case => ({ native: b, json: b })),
  fc.constant<Case>({ native: null, json: null }),
);

const stringSetCase = fc
  .uniqueArray(fc.string(), { minLength: 1, maxLength: 5 })
  .map((members): Case => ({ native: new Set(members), json: [...members].sort(byText) }));
const numberSetCase = fc
  .uniqueArray(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), { minLength: 1, maxLength: 5 })
  .map((members): Case => ({
    native: new Set(members),
    json: [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((b) => (isSafe(b) ? Number(b) : b.toString())),
  }));
const binarySetCase = fc
  .uniqueArray(fc.uint8Array({ maxLength: 6 }), { minLength: 1, maxLength: 4, selector: base64 })
  .map((members): Case => ({ native: new Set(members), json: members.map(base64).sort(byText) }));

const attributeName = fc.string({ maxLength: 8 }).filter((name) => name !== '__proto__');

function mapCase(value: fc.Arbitrary<Case>): fc.Arbitrary<Case> {
  return fc.dictionary(attributeName, value, { maxKeys: 4 }).map((entries): Case => ({
    native: Object.fromEntries(Object.entries(entries).map(([name, c]) => [name, c.native])),
    json: Object.fromEntries(Object.entries(entries).map(([name, c]) => [name, c.json])),
  }));
}

const { value: valueCase } = fc.letrec<{ value: Case }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarCase,
    stringSetCase,
    numberSetCase,
    binarySetCase,
    fc.array(tie('value'), { maxLength: 4 }).map((items): Case => ({
      native: items.map((c) => c.native),
      json: items.map((c) => c.json),
    })),
    mapCase(tie('value')),
  ),
}));

const itemCase = mapCase(valueCase).map((attributes): Case => ({
  native: { ...(attributes.native as object), pk: 'item-1' },
  json: { ...(attributes.json as object), pk: 'item-1' },
}));

describe('round trip property', () => {
  it('marshall → SDK stream record → Lambda shape → decodeBatch gives back the exact JSON-safe item', () => {
    fc.assert(
      fc.property(itemCase, ({ native, json }) => {
        // given
        const newImage = marshall(native) as Record<string, StreamsAttributeValue>;
        const record = sdkRecord({ keys: { pk: { S: 'item-1' } }, newImage });

        // when
        const event = overTheWire(toLambdaEvent([toLambdaRecord(record, { streamArn: STREAM_ARN, awsRegion: AWS_REGION })]));
        const { changes, rejected } = decodeBatch(event);

        // then
        expect(rejected).toStrictEqual([]);
        expect(changes[0]?.newImage).toStrictEqual(json);
      }),
      { numRuns: 300 },
    );
  });
});
