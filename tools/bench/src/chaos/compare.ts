import type { JsonObject, JsonValue } from '@ddb-os/opensearch-mapping';

/** A table item as its index should hold it. */
export interface ExpectedDocument {
  readonly index: string;
  readonly id: string;
  readonly document: JsonObject;
}

/** A key that was written at some point but is no longer in the table. */
export interface DeletedKey {
  readonly index: string;
  readonly id: string;
}

/** What the index holds for an id (fetched from the write alias, so tombstones are seen too). */
export interface StoredDocument {
  /** The document without `ddbSync` and `ddbKeys`. */
  readonly content: JsonObject;
  readonly tombstone: boolean;
}

/** The verdict of the final comparison. */
export interface Comparison {
  /** Keys compared: live items plus deleted keys. */
  readonly checked: number;
  readonly liveItems: number;
  readonly deletedKeys: number;
  readonly matching: number;
  /** Live items missing from the index (absent, or a tombstone). */
  readonly lost: number;
  /** Live items whose document differs from the table. */
  readonly stale: number;
  /** Deleted items that are live in the index or visible through the read alias. */
  readonly resurrected: number;
  /** Up to 10 examples of each problem. */
  readonly examples: { readonly lost: readonly string[]; readonly stale: readonly string[]; readonly resurrected: readonly string[] };
}

const MAX_EXAMPLES = 10;

/**
 * Compares, key by key, what the table holds with what the index holds.
 *
 * @example
 * compareWithTable([{ index: 'p', id: 'a', document: { n: 1 } }], [], new Map([['p/a', { content: { n: 1 }, tombstone: false }]]), new Set());
 * // { lost: 0, stale: 0, resurrected: 0, matching: 1, ... }
 */
export function compareWithTable(
  expected: readonly ExpectedDocument[],
  deleted: readonly DeletedKey[],
  stored: ReadonlyMap<string, StoredDocument>,
  visibleInReadAlias: ReadonlySet<string>,
): Comparison {
  const lost: string[] = [];
  const stale: string[] = [];
  const resurrected: string[] = [];
  for (const { index, id, document } of expected) {
    const found = stored.get(documentKey(index, id));
    if (found === undefined || found.tombstone) lost.push(documentKey(index, id));
    else if (!sameJson(found.content, document)) stale.push(documentKey(index, id));
  }
  for (const { index, id } of deleted) {
    const key = documentKey(index, id);
    const found = stored.get(key);
    if ((found !== undefined && !found.tombstone) || visibleInReadAlias.has(key)) resurrected.push(key);
  }
  return {
    checked: expected.length + deleted.length,
    liveItems: expected.length,
    deletedKeys: deleted.length,
    matching: expected.length - lost.length - stale.length,
    lost: lost.length,
    stale: stale.length,
    resurrected: resurrected.length,
    examples: { lost: lost.slice(0, MAX_EXAMPLES), stale: stale.slice(0, MAX_EXAMPLES), resurrected: resurrected.slice(0, MAX_EXAMPLES) },
  };
}

/** `index/id`: how documents are keyed in the comparison. */
export function documentKey(index: string, id: string): string {
  return `${index}/${id}`;
}

/**
 * Deep equality of JSON values; object key order does not matter, array order does.
 *
 * @example
 * sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }); // true
 */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((value, position) => sameJson(value, b[position]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}
