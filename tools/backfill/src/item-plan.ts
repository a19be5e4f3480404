import {
  attributeNameProblem,
  documentId,
  routeFor,
  UnindexableAttributeNameError,
  type DocumentShapes,
  type IndexRoute,
} from '@ddb-os/opensearch-mapping';
import { toJsonSafe, type JsonObject, type JsonValue } from '@ddb-os/stream-decoding';
import type { RawItem } from './types';

/** What planning needs from the sync target configuration. */
export interface PlanContext {
  readonly routes: readonly IndexRoute[];
  readonly keyAttributes: readonly string[];
  /** How items become documents (the sync definition's schemas and transforms, as the indexer applies them). */
  readonly shapes: DocumentShapes;
  /** Numbers a double cannot hold: exact strings, or the item refused — as the indexer decodes them (the sync's `numbers`). */
  readonly numberPolicy: 'string' | 'reject';
}

/** Where one table item goes, or why it goes nowhere. */
export type ItemPlan =
  | {
      readonly kind: 'write';
      readonly index: string;
      readonly id: string;
      readonly keys: JsonObject;
      readonly item: JsonObject;
      readonly document: JsonObject;
    }
  | { readonly kind: 'unrouted'; readonly id: string; readonly keys: JsonObject; readonly item: JsonObject }
  | {
      readonly kind: 'invalid';
      readonly index: string | undefined;
      readonly id: string | undefined;
      readonly keys: JsonObject | undefined;
      readonly item: JsonValue;
      readonly reason: string;
    };

/** Result of {@link validateForRoute}. */
export type Validation = { readonly ok: true; readonly document: JsonObject } | { readonly ok: false; readonly reason: string };

/**
 * The document an item becomes in its route's index with the indexer's own rule (`shapes.documentOf` of the sync:
 * schema parse, then transform), as a result instead of a throw.
 *
 * @example
 * validateForRoute(item, route, sync.routingFor(['pk', 'sk']).shapes);
 */
export function validateForRoute(item: JsonObject, route: IndexRoute, shapes: DocumentShapes): Validation {
  try {
    return { ok: true, document: shapes.documentOf(item, route) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/**
 * Plans one raw table item: JSON-safe conversion (exact numbers, same form as the indexer), key, document id,
 * route, attribute names (none reserved for sync metadata or colliding, see `attributeNameProblem`), schema validation.
 *
 * @example
 * const plan = planRawItem({ pk: { S: 'PRODUCT#1' }, sk: { S: 'PRODUCT' }, entityType: { S: 'product' } }, context);
 */
export function planRawItem(raw: RawItem, context: PlanContext): ItemPlan {
  let item: JsonObject;
  try {
    item = toJsonSafe(raw, { numberPolicy: context.numberPolicy });
  } catch (error) {
    return {
      kind: 'invalid',
      index: undefined,
      id: undefined,
      keys: safeKeys(raw, context.keyAttributes),
      item: rawItemJson(raw),
      reason: (error as Error).message,
    };
  }
  return planItem(item, context);
}

/** Plans one JSON-safe item (see {@link planRawItem}). */
export function planItem(item: JsonObject, context: PlanContext): ItemPlan {
  const keys = keysOf(item, context.keyAttributes);
  let id: string;
  try {
    id = documentId(keys, context.keyAttributes);
  } catch (error) {
    return { kind: 'invalid', index: undefined, id: undefined, keys, item, reason: (error as Error).message };
  }
  const route = routeFor(item, context.routes);
  if (route === undefined) return { kind: 'unrouted', id, keys, item };
  const nameProblem = attributeNameProblem(item);
  if (nameProblem !== undefined) {
    // The same reason the index writer gives when it refuses the document, so every report reads alike.
    return {
      kind: 'invalid',
      index: route.index,
      id,
      keys,
      item,
      reason: new UnindexableAttributeNameError(nameProblem.attribute, nameProblem.reason).message,
    };
  }
  const validation = validateForRoute(item, route, context.shapes);
  if (!validation.ok) return { kind: 'invalid', index: route.index, id, keys, item, reason: validation.reason };
  return { kind: 'write', index: route.index, id, keys, item, document: validation.document };
}

/** The key attributes of an item (those present). */
export function keysOf(item: JsonObject, keyAttributes: readonly string[]): JsonObject {
  return presentAttributes(item, keyAttributes);
}

/** Raw key attributes as a DynamoDB `Key` (for GetItem / BatchGetItem). */
export function rawKeyOf(raw: RawItem, keyAttributes: readonly string[]): RawItem {
  return presentAttributes(raw, keyAttributes);
}

function presentAttributes<V>(item: Readonly<Record<string, V>>, names: readonly string[]): Record<string, V> {
  return Object.fromEntries(names.flatMap((name) => (item[name] === undefined ? [] : [[name, item[name] as V]])));
}

function safeKeys(raw: RawItem, keyAttributes: readonly string[]): JsonObject | undefined {
  try {
    return toJsonSafe(rawKeyOf(raw, keyAttributes));
  } catch {
    return undefined;
  }
}

/** A raw item as JSON (AttributeValue form, binary as base64) for a failure record. */
export function rawItemJson(raw: RawItem): JsonValue {
  return toJsonValue(raw);
}

function toJsonValue(value: unknown): JsonValue {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Set) return [...value].map(toJsonValue);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([name, member]) => [name, toJsonValue(member)]),
    );
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return String(value);
}
