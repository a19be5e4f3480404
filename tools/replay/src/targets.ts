import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { documentId, type JsonObject } from '@ddb-os/opensearch-mapping';
import { decodeRecord, toJsonSafe, type AnyAttributeValue, type DecodedChange, type NumberPolicy } from '@ddb-os/stream-decoding';
import type { ReplayTarget, UnreadableRecord } from './types';

/** Options of {@link collectTargets}. */
export interface CollectOptions {
  readonly keyAttributes: readonly string[];
  readonly numberPolicy: NumberPolicy;
}

/** The items an archive object touches, one target per document id, in first-seen order. */
export interface TargetCollection {
  readonly targets: readonly ReplayTarget[];
  readonly unreadable: readonly UnreadableRecord[];
}

interface MutableTarget {
  readonly id: string;
  readonly keys: JsonObject;
  readonly tableKey: Record<string, AttributeValue>;
  readonly archivedImages: JsonObject[];
  readonly archivedRemoves: DecodedChange[];
}

/**
 * Collects the affected items of an archive object from the `Keys` of its records (Lambda shape).
 * Only the keys are required: a record whose images are missing or undecodable (a truncated poison
 * record) still names its item. A record without usable keys is reported, never skipped silently.
 *
 * @example
 * const { targets, unreadable } = collectTargets(archive.records, { keyAttributes: ['pk', 'sk'], numberPolicy: 'string' });
 */
export function collectTargets(records: readonly unknown[], options: CollectOptions): TargetCollection {
  const byId = new Map<string, MutableTarget>();
  const unreadable: UnreadableRecord[] = [];
  records.forEach((record, position) => {
    try {
      addRecord(byId, record, options);
    } catch (error) {
      unreadable.push({ position, reason: (error as Error).message });
    }
  });
  return { targets: [...byId.values()], unreadable };
}

function addRecord(byId: Map<string, MutableTarget>, record: unknown, options: CollectOptions): void {
  const rawKeys = rawKeysOf(record);
  // toJsonSafe validates each value and names the attribute path of a bad one.
  const keys = toJsonSafe(rawKeys as Record<string, AnyAttributeValue>, { numberPolicy: options.numberPolicy, pathPrefix: 'Keys' });
  const id = documentId(keys, options.keyAttributes);
  const target = byId.get(id) ?? { id, keys, tableKey: tableKeyOf(rawKeys), archivedImages: [], archivedRemoves: [] };
  byId.set(id, target);
  const decoding = decodeRecord(record, { numberPolicy: options.numberPolicy });
  if (!decoding.ok) return; // Keys are enough to re-read the item; images are only routing hints.
  const { change } = decoding;
  for (const image of [change.oldImage, change.newImage]) if (image) target.archivedImages.push(image);
  if (change.eventName === 'REMOVE') target.archivedRemoves.push(change);
}

function rawKeysOf(record: unknown): Record<string, Record<string, unknown>> {
  const keys = (record as { dynamodb?: { Keys?: unknown } } | null)?.dynamodb?.Keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
    throw new Error('record has no dynamodb.Keys: the item it belongs to cannot be known');
  }
  return keys as Record<string, Record<string, unknown>>;
}

/** Lambda-shaped key values (binary as base64 text) → GetItem's (binary as bytes). Keys are S, N or B only. */
function tableKeyOf(rawKeys: Record<string, Record<string, unknown>>): Record<string, AttributeValue> {
  const tableKey: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(rawKeys)) {
    if (typeof value['S'] === 'string') tableKey[name] = { S: value['S'] };
    else if (typeof value['N'] === 'string') tableKey[name] = { N: value['N'] };
    else if (typeof value['B'] === 'string') tableKey[name] = { B: Buffer.from(value['B'], 'base64') };
    else throw new Error(`Keys.${name} is not a string, number or binary key value: ${JSON.stringify(value)}`);
  }
  return tableKey;
}
