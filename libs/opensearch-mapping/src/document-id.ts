import { createHash } from 'node:crypto';
import { InvalidDocumentKeyError } from './errors';
import type { JsonObject } from './types';

/** OpenSearch rejects `_id` values longer than 512 bytes. */
const MAX_ID_BYTES = 512;
const HASHED_ID_PREFIX = 'h.';
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * The OpenSearch `_id` of an item: base64url (no padding) of each key value, in key order, joined by `.`;
 * when that exceeds 512 bytes, `h.` + base64url(sha256(length-prefixed key values)).
 *
 * Strings are encoded as UTF-8, numbers as their plain decimal string (`1e21` → `1000000000000000000000`).
 * A table's key types are fixed, so a string and a number never compete for one id. Binary keys arrive as
 * their base64 text (as `decodeBatch`/`toJsonSafe` produce them) and are encoded as that text, so every writer
 * derives the same id. `.` is not a base64url character, so values containing separators cannot collide; a plain
 * id never has a one-character segment, so it cannot be mistaken for a hashed one. Hashed ids cannot be turned
 * back into keys: documents carry their keys in `ddbKeys`. Attributes other than the key attributes are ignored.
 *
 * @example
 * documentId({ pk: 'PRODUCT#42', sk: 'PRODUCT' }, ['pk', 'sk']); // 'UFJPRFVDVCM0Mg.UFJPRFVDVA'
 * @throws InvalidDocumentKeyError naming the key attribute that is missing or not a valid key value.
 */
export function documentId(keys: JsonObject, keyAttributes: readonly string[]): string {
  assertKeyAttributes(keyAttributes);
  const values = keyAttributes.map((attribute) => keyValueBytes(keys, attribute));
  const plainId = values.map((value) => value.toString('base64url')).join('.');
  return Buffer.byteLength(plainId) <= MAX_ID_BYTES ? plainId : hashedId(values);
}

function assertKeyAttributes(keyAttributes: readonly string[]): void {
  if (!Array.isArray(keyAttributes) || keyAttributes.length < 1 || keyAttributes.length > 2) {
    throw new InvalidDocumentKeyError(undefined, 'expected the partition key and optionally the sort key (1 or 2 names)');
  }
  if (keyAttributes.some((attribute) => typeof attribute !== 'string' || attribute === '')) {
    throw new InvalidDocumentKeyError(undefined, 'key attribute names must be non-empty strings');
  }
  if (keyAttributes[0] === keyAttributes[1]) {
    throw new InvalidDocumentKeyError(keyAttributes[0], 'listed twice as a key attribute');
  }
}

function keyValueBytes(keys: JsonObject, attribute: string): Buffer {
  const value = Object.hasOwn(keys, attribute) ? keys[attribute] : undefined;
  if (value === undefined) throw new InvalidDocumentKeyError(attribute, 'missing');
  if (typeof value === 'number') return Buffer.from(plainDecimal(value, attribute), 'utf8');
  if (typeof value !== 'string') {
    throw new InvalidDocumentKeyError(attribute, `must be a string or a number, got ${describeJsonType(value)}`);
  }
  if (value === '') throw new InvalidDocumentKeyError(attribute, 'must not be empty (DynamoDB key values never are)');
  if (LONE_SURROGATE.test(value)) throw new InvalidDocumentKeyError(attribute, 'contains a lone UTF-16 surrogate (not valid UTF-8)');
  return Buffer.from(value, 'utf8');
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** Decimal notation without exponent, so one number has exactly one encoding. */
function plainDecimal(value: number, attribute: string): string {
  if (!Number.isFinite(value)) throw new InvalidDocumentKeyError(attribute, `must be a finite number, got ${value}`);
  const text = String(value === 0 ? 0 : value);
  const scientific = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!scientific) return text;
  const [, sign = '', leadingDigit = '', fraction = '', exponent = '0'] = scientific;
  const digits = leadingDigit + fraction;
  const pointPosition = 1 + Number(exponent);
  if (pointPosition >= digits.length) return sign + digits + '0'.repeat(pointPosition - digits.length);
  if (pointPosition <= 0) return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
  return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
}

function hashedId(values: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const value of values) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(value.length);
    hash.update(length).update(value);
  }
  return HASHED_ID_PREFIX + hash.digest('base64url');
}
