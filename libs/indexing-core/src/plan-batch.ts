import type { DecodedChange, JsonObject } from '@ddb-os/stream-decoding';
import { documentId, routeForChange, streamOrderKey, type IndexRoute, type OrderKey } from '@ddb-os/opensearch-mapping';
import type { DocumentShapes } from '@ddb-os/opensearch-mapping';
import { isProgrammingError, KeyAttributesMismatchError } from './errors';

/**
 * The write of one document of one index: its target index and document (or a tombstone), from the
 * latest change of the item in the batch, standing for the records of all its changes.
 */
export interface DocumentWrite {
  /** Positions in the batch of the records this write stands for, in order (one until {@link coalesce} merges them). */
  readonly positions: readonly number[];
  readonly index: string;
  readonly id: string;
  readonly change: DecodedChange;
  /** Order key of the change (`streamOrderKey`), computed at planning so a bad version is this record's poison alone. */
  readonly order: OrderKey;
  /** The document to index, or undefined for a tombstone (the item is gone from this index). */
  readonly document: JsonObject | undefined;
  /** A TTL deletion kept as a document marked expired (the sync's `ttlDeletes: 'mark-expired'`). */
  readonly expired: boolean;
  /** The first change this write stands for is an INSERT: the document most likely does not exist yet. */
  readonly beginsWithInsert: boolean;
}

/** A change that can never be indexed as it is; it goes to the dead-letter queue with the reason. */
export interface PoisonChange {
  readonly position: number;
  readonly change: DecodedChange;
  readonly reason: string;
  /** What made the change poison, when it was an error (e.g. {@link KeyAttributesMismatchError}). */
  readonly error?: Error;
}

export interface PlanOptions {
  readonly routes: readonly IndexRoute[];
  readonly keyAttributes: readonly string[];
  /** The sync's `versionAttribute`: order writes by this item attribute instead of the stream's time (version mode). */
  readonly versionAttribute?: string | undefined;
  /** How items become documents (the sync definition's schemas and transforms). */
  readonly shapes: DocumentShapes;
  readonly ttlDeletePolicy: 'delete' | 'mark-expired';
  readonly unroutedPolicy: 'skip' | 'dead-letter';
}

export interface BatchPlan {
  /** One write per change and index, in batch order (not yet coalesced). */
  readonly writes: DocumentWrite[];
  readonly poison: PoisonChange[];
  readonly unrouted: number;
}

/**
 * Turns decoded changes into writes: checks the record's key against the sync's key attributes, picks the
 * index of each item, shapes its document (the route's schema and transform), and derives the document id and order
 * key. A MODIFY that moves an item to another index also tombstones it in the old one. A change that
 * cannot be written is poison on its own; a programming error (`TypeError`…) is thrown, not blamed on the record.
 */
export function planBatch(changes: readonly PositionedChange[], options: PlanOptions): BatchPlan {
  const plan: PlanDraft = { writes: [], poison: [], unrouted: 0 };
  for (const { change, position } of changes) {
    // Drafted apart, so a change that fails half-way (a move whose new document is invalid) writes nothing.
    const draft: PlanDraft = { writes: [], poison: plan.poison, unrouted: 0 };
    try {
      planChange(change, position, options, draft);
    } catch (error) {
      if (isProgrammingError(error)) throw error;
      plan.poison.push({ change, position, reason: (error as Error).message, error: error as Error });
      continue;
    }
    plan.writes.push(...draft.writes);
    plan.unrouted += draft.unrouted;
  }
  return plan;
}

interface PlanDraft {
  writes: DocumentWrite[];
  poison: PoisonChange[];
  unrouted: number;
}

/** A decoded change and the position of its record in the batch. */
export interface PositionedChange {
  readonly change: DecodedChange;
  readonly position: number;
}

function planChange(change: DecodedChange, position: number, options: PlanOptions, plan: PlanDraft): void {
  const positions = [position];
  assertKeysMatch(change.keys, options.keyAttributes);
  const id = documentId(change.keys, options.keyAttributes);
  const order = streamOrderKey(change, { versionAttribute: options.versionAttribute });
  const newRoute = change.eventName === 'REMOVE' ? undefined : routeForChange(change, options.routes);
  const oldRoute = change.oldImage ? routeForChange({ ...change, eventName: 'REMOVE' }, options.routes) : undefined;

  if (oldRoute && oldRoute.index !== newRoute?.index && !(change.isTtlDelete && options.ttlDeletePolicy === 'mark-expired')) {
    plan.writes.push({ positions, index: oldRoute.index, id, change, order, document: undefined, expired: false, beginsWithInsert: false });
  }
  if (change.eventName === 'REMOVE') {
    if (oldRoute && change.isTtlDelete && options.ttlDeletePolicy === 'mark-expired') {
      plan.writes.push({
        positions,
        index: oldRoute.index,
        id,
        change,
        order,
        document: options.shapes.documentOf(change.oldImage ?? change.keys, oldRoute),
        expired: true,
        beginsWithInsert: false,
      });
    } else if (!oldRoute) {
      // A REMOVE without an OldImage that routes nowhere still has to reach every index that may hold the item.
      for (const index of new Set(options.routes.map((route) => route.index)))
        plan.writes.push({ positions, index, id, change, order, document: undefined, expired: false, beginsWithInsert: false });
    }
    return;
  }
  if (!newRoute) {
    if (options.unroutedPolicy === 'dead-letter')
      plan.poison.push({ change, position, reason: "no index route matches this item (the sync's unrouted: 'dead-letter')" });
    else plan.unrouted += 1;
    return;
  }
  plan.writes.push({
    positions,
    index: newRoute.index,
    id,
    change,
    order,
    document: options.shapes.documentOf(change.newImage ?? {}, newRoute),
    expired: false,
    beginsWithInsert: change.eventName === 'INSERT',
  });
}

/**
 * Throws {@link KeyAttributesMismatchError} unless the record's `Keys` name exactly the sync's key attributes
 * (a shorter list would merge the items that differ only in the missing attribute).
 */
export function assertKeysMatch(keys: JsonObject, keyAttributes: readonly string[]): void {
  const recordKeys = Object.keys(keys);
  const same = recordKeys.length === keyAttributes.length && keyAttributes.every((name) => Object.hasOwn(keys, name));
  if (!same) throw new KeyAttributesMismatchError(recordKeys, keyAttributes);
}

/**
 * One write per document (per index and id): the last in batch order — the stream delivers an item's
 * records in order, and every record carries the item's full image — standing for the positions of
 * all the document's records, so that if it fails, every one of them is delivered again. It begins with an INSERT
 * when the document's first write in the batch does.
 */
export function coalesce(writes: readonly DocumentWrite[]): DocumentWrite[] {
  const byDocument = new Map<string, { last: DocumentWrite; positions: number[]; beginsWithInsert: boolean }>();
  for (const write of writes) {
    const key = `${write.index}\u0000${write.id}`;
    const seen = byDocument.get(key);
    if (seen) {
      seen.last = write;
      seen.positions.push(...write.positions);
    } else {
      byDocument.set(key, { last: write, positions: [...write.positions], beginsWithInsert: write.beginsWithInsert });
    }
  }
  return [...byDocument.values()].map(({ last, positions, beginsWithInsert }) => ({ ...last, positions, beginsWithInsert }));
}
