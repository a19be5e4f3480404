import { createHash } from 'node:crypto';
import { KEYS_FIELD, SYNC_FIELD } from '@ddb-os/opensearch-mapping';
import type { JsonObject, JsonValue } from '@ddb-os/stream-decoding';

/**
 * JSON text with object keys sorted (recursively) and no whitespace: two values that are equal as JSON have
 * the same text, whatever the order their keys were written in. Arrays keep their order (DynamoDB lists are
 * ordered; sets arrive sorted from `toJsonSafe`).
 *
 * @example
 * canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }); // '{"a":[true,{"c":"x","d":null}],"b":1}'
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
}

/**
 * SHA-256 (base64url) of the canonical JSON of `value`: compares a table item with its document without
 * keeping either.
 *
 * @example
 * contentHash({ a: 1, b: 2 }) === contentHash({ b: 2, a: 1 }); // true
 */
export function contentHash(value: JsonValue): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/**
 * The item part of a document `_source`: everything but the sync metadata (`ddbSync`) and the key copy
 * (`ddbKeys`) that every writer adds.
 *
 * @example
 * documentContent({ pk: 'a', name: 'Lamp', ddbKeys: { pk: 'a' }, ddbSync: { order: '…' } }); // { pk: 'a', name: 'Lamp' }
 */
export function documentContent(source: JsonObject): JsonObject {
  const { [SYNC_FIELD]: _sync, [KEYS_FIELD]: _keys, ...content } = source;
  return content;
}
