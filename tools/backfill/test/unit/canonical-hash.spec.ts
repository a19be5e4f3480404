import fc from 'fast-check';
import type { JsonValue } from '@ddb-os/stream-decoding';
import { canonicalJson, contentHash, documentContent } from '../../src/canonical-hash';

describe('canonical hash', () => {
  it('does not depend on the order object keys were written in, at any depth', () => {
    // given
    const one = { b: 1, a: { d: [1, { y: true, x: null }], c: 'text' } };
    const other = { a: { c: 'text', d: [1, { x: null, y: true }] }, b: 1 };
    // when / then
    expect(canonicalJson(one)).toBe('{"a":{"c":"text","d":[1,{"x":null,"y":true}]},"b":1}');
    expect(contentHash(one)).toBe(contentHash(other));
  });

  it('tells apart values that differ in list order, type or an exact decimal', () => {
    expect(contentHash({ tags: ['a', 'b'] })).not.toBe(contentHash({ tags: ['b', 'a'] }));
    expect(contentHash({ price: 1 })).not.toBe(contentHash({ price: '1' }));
    expect(contentHash({ big: '12345678901234567890.1' })).not.toBe(contentHash({ big: '12345678901234567890.2' }));
  });

  it('gives every JSON value one text: key order never matters, and the text reads back as the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (generated) => {
        const value = JSON.parse(JSON.stringify(generated)) as JsonValue;
        expect(contentHash(reverseKeys(value))).toBe(contentHash(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(value);
      }),
    );
  });

  it('compares a document by its item fields only: ddbSync and ddbKeys are left out', () => {
    // given
    const item = { pk: 'PRODUCT#1', name: 'Lamp' };
    const source = { ...item, ddbKeys: { pk: 'PRODUCT#1' }, ddbSync: { order: 'S…', deleted: false } };
    // when / then
    expect(documentContent(source)).toEqual(item);
    expect(contentHash(documentContent(source))).toBe(contentHash(item));
  });
});

function reverseKeys(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reverseKeys);
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((key) => [key, reverseKeys(value[key] as JsonValue)]),
  );
}
