import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { documentId } from '../../src/document-id';
import { InvalidDocumentKeyError, OpenSearchMappingError } from '../../src/errors';
import type { JsonObject } from '../../src/types';
import { productItem, productKeys } from '../helpers/mapping-factories';

const TABLE_KEY = ['pk', 'sk'] as const;
const URL_SAFE_ID = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

function decodeSegments(id: string): string[] {
  return id.split('.').map((segment) => Buffer.from(segment, 'base64url').toString('utf8'));
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('documentId', () => {
  it('joins the base64url of each key value with "."', () => {
    // given the keys of a product
    const keys = productKeys('42');

    // when
    const id = documentId(keys, TABLE_KEY);

    // then
    expect(id).toBe('UFJPRFVDVCM0Mg.UFJPRFVDVA');
    expect(decodeSegments(id)).toEqual(['PRODUCT#42', 'PRODUCT']);
  });

  it('is stable: the same keys always give the same id', () => {
    expect(documentId(productKeys('7'), TABLE_KEY)).toBe(documentId(productKeys('7'), TABLE_KEY));
  });

  it('ignores attributes other than the key attributes', () => {
    // given a whole item and its bare keys
    const item = productItem();

    // when / then
    expect(documentId(item, TABLE_KEY)).toBe(documentId(productKeys(), TABLE_KEY));
  });

  it('uses only the partition key for a table without sort key', () => {
    expect(documentId({ pk: 'a', sk: 'ignored' }, ['pk'])).toBe('YQ');
  });

  it('does not collide when values contain separators', () => {
    // given two key pairs that concatenate to the same text
    const first = documentId({ pk: 'a#b', sk: 'c' }, TABLE_KEY);
    const second = documentId({ pk: 'a', sk: 'b#c' }, TABLE_KEY);
    const dotted = documentId({ pk: 'a.b', sk: 'c' }, TABLE_KEY);
    const dottedElsewhere = documentId({ pk: 'a', sk: 'b.c' }, TABLE_KEY);

    // then
    expect(first).toBe('YSNi.Yw');
    expect(second).toBe('YQ.YiNj');
    expect(new Set([first, second, dotted, dottedElsewhere]).size).toBe(4);
  });

  it('encodes "empty-ish" values as they are', () => {
    expect(decodeSegments(documentId({ pk: '0', sk: ' ' }, TABLE_KEY))).toEqual(['0', ' ']);
    expect(decodeSegments(documentId({ pk: 0, sk: 'x' }, TABLE_KEY))).toEqual(['0', 'x']);
  });

  it('encodes unicode as UTF-8 and stays URL-safe', () => {
    // given keys with emoji, accents and URL-special characters
    const keys = { pk: '😀é', sk: 'a/b?c=d&e f+g%' };

    // when
    const id = documentId(keys, TABLE_KEY);

    // then
    expect(id).toMatch(URL_SAFE_ID);
    expect(id.startsWith('8J-YgMOp.')).toBe(true);
    expect(decodeSegments(id)).toEqual(['😀é', 'a/b?c=d&e f+g%']);
  });

  it('encodes numbers as their plain decimal string', () => {
    expect(documentId({ pk: 42 }, ['pk'])).toBe('NDI');
    expect(decodeSegments(documentId({ pk: -0.5 }, ['pk']))).toEqual(['-0.5']);
    expect(decodeSegments(documentId({ pk: 1e21 }, ['pk']))).toEqual(['1000000000000000000000']);
    expect(decodeSegments(documentId({ pk: 1.5e-7 }, ['pk']))).toEqual(['0.00000015']);
    expect(decodeSegments(documentId({ pk: -1.25e22 }, ['pk']))).toEqual(['-12500000000000000000000']);
    expect(documentId({ pk: -0 }, ['pk'])).toBe(documentId({ pk: 0 }, ['pk']));
  });

  it('gives a number and its exact decimal string (big numbers stay strings) the same id', () => {
    // given a number key that fits a double and the same value as a decimal string
    expect(documentId({ pk: 1e21 }, ['pk'])).toBe(documentId({ pk: '1000000000000000000000' }, ['pk']));
    expect(documentId({ pk: 12345 }, ['pk'])).toBe(documentId({ pk: '12345' }, ['pk']));
  });

  it('encodes binary keys (base64 text in JSON-safe items) as that text, distinct per value', () => {
    // given binary keys as decodeBatch/toJsonSafe render them
    const first = documentId({ pk: Buffer.from([1, 2, 3]).toString('base64') }, ['pk']);
    const second = documentId({ pk: Buffer.from([1, 2, 4]).toString('base64') }, ['pk']);

    // then
    expect(first).toBe('QVFJRA');
    expect(first).not.toBe(second);
  });

  it('switches to a sha256 id when the plain id would exceed 512 bytes', () => {
    // given keys whose plain id is just below and just above the limit
    const fits = { pk: 'x'.repeat(382) }; // base64url length 510
    const tooLong = { pk: 'x'.repeat(385), sk: 'y' }; // 514 + 1 + 2 bytes

    // when
    const plain = documentId(fits, ['pk']);
    const hashed = documentId(tooLong, TABLE_KEY);

    // then
    expect(plain.length).toBe(510);
    expect(hashed).toMatch(/^h\.[A-Za-z0-9_-]{43}$/);
    expect(hashed).toBe(`h.${expectedHash(['x'.repeat(385), 'y'])}`);
  });

  it('hashes a length-prefixed encoding, so long keys with shifted separators do not collide', () => {
    const long = 'z'.repeat(600);
    expect(documentId({ pk: `${long}#a`, sk: 'b' }, TABLE_KEY)).not.toBe(documentId({ pk: long, sk: '#ab' }, TABLE_KEY));
  });

  it('never produces ids that collide, exceed 512 bytes or leave the URL-safe alphabet', () => {
    const keyValue = fc.oneof(
      fc.string({ minLength: 1, maxLength: 500, unit: 'grapheme' }),
      fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom('a', '#', '.', '/') }),
      fc.integer().map((value) => String(value)),
    );
    fc.assert(
      fc.property(fc.tuple(keyValue, keyValue), fc.tuple(keyValue, keyValue), ([pk1, sk1], [pk2, sk2]) => {
        const first = documentId({ pk: pk1, sk: sk1 }, TABLE_KEY);
        const second = documentId({ pk: pk2, sk: sk2 }, TABLE_KEY);
        expect(Buffer.byteLength(first)).toBeLessThanOrEqual(512);
        expect(first).toMatch(URL_SAFE_ID);
        expect(first === second).toBe(pk1 === pk2 && sk1 === sk2);
      }),
    );
  });

  it.each([
    ['missing', { sk: 'PRODUCT' }, 'pk', 'missing'],
    ['null', { pk: null, sk: 'PRODUCT' }, 'pk', 'must be a string or a number, got null'],
    ['boolean', { pk: 'a', sk: true }, 'sk', 'must be a string or a number, got boolean'],
    ['list', { pk: 'a', sk: ['x'] }, 'sk', 'must be a string or a number, got an array'],
    ['map', { pk: { S: 'a' }, sk: 'x' }, 'pk', 'must be a string or a number, got object'],
    ['empty string', { pk: '', sk: 'x' }, 'pk', 'must not be empty (DynamoDB key values never are)'],
    ['lone surrogate', { pk: 'a\uD800', sk: 'x' }, 'pk', 'contains a lone UTF-16 surrogate (not valid UTF-8)'],
  ])('rejects a %s key value, naming the attribute', (_case, keys, attribute, reason) => {
    // when
    const error = thrownBy(() => documentId(keys as JsonObject, TABLE_KEY));

    // then
    expect(error).toBeInstanceOf(InvalidDocumentKeyError);
    expect(error).toBeInstanceOf(OpenSearchMappingError);
    expect(error).toMatchObject({ attribute, reason, message: `Invalid key attribute "${attribute}": ${reason}` });
  });

  it('does not read key attributes from the prototype chain', () => {
    expect(() => documentId({}, ['toString'])).toThrow('Invalid key attribute "toString": missing');
  });

  it('rejects a non-finite number', () => {
    expect(() => documentId({ pk: Number.NaN }, ['pk'])).toThrow('Invalid key attribute "pk": must be a finite number, got NaN');
  });

  it.each([
    [[], 'expected the partition key and optionally the sort key (1 or 2 names)'],
    [['pk', 'sk', 'gsi'], 'expected the partition key and optionally the sort key (1 or 2 names)'],
    [['pk', ''], 'key attribute names must be non-empty strings'],
  ])('rejects the key attribute list %j', (keyAttributes, reason) => {
    expect(() => documentId(productKeys(), keyAttributes)).toThrow(new InvalidDocumentKeyError(undefined, reason));
  });

  it('rejects a key attribute listed twice', () => {
    expect(() => documentId(productKeys(), ['pk', 'pk'])).toThrow('Invalid key attribute "pk": listed twice as a key attribute');
  });
});

function expectedHash(values: string[]): string {
  const hash = createHash('sha256');
  for (const value of values) {
    const bytes = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest('base64url');
}
