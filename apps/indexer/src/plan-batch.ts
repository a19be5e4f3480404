import type { DecodedChange, JsonObject } from '@ddb-os/stream-decoding';
import { documentId, routeForChange, type IndexRoute } from '@ddb-os/opensearch-mapping';
import type { ZodType } from 'zod';

/** One change as it will be written: the target index and document, or a tombstone. */
export interface PlannedWrite {
  readonly index: string;
  readonly id: string;
  readonly change: DecodedChange;
  /** The document to index, or undefined for a tombstone (the item is gone from this index). */
  readonly document: JsonObject | undefined;
  readonly expired: boolean;
}

/** A change that can never be indexed as it is; it goes to the dead-letter queue with the reason. */
export interface PoisonChange {
  readonly change: DecodedChange;
  readonly reason: string;
}

export interface PlanOptions {
  readonly routes: readonly IndexRoute[];
  readonly keyAttributes: readonly string[];
  readonly schemas: Readonly<Record<string, ZodType>>;
  readonly ttlDeletePolicy: 'delete' | 'mark-expired';
  readonly unroutedPolicy: 'skip' | 'dead-letter';
}

export interface BatchPlan {
  readonly writes: PlannedWrite[];
  readonly poison: PoisonChange[];
  readonly unrouted: number;
}

/**
 * Turns decoded changes into writes: picks the index of each item, validates it against that index's
 * schema, and derives the document id. A MODIFY that moves an item to another index also tombstones
 * it in the old one.
 */
export function planBatch(changes: readonly DecodedChange[], options: PlanOptions): BatchPlan {
  const plan: BatchPlan = { writes: [], poison: [], unrouted: 0 };
  for (const change of changes) {
    try {
      planChange(change, options, plan);
    } catch (error) {
      plan.poison.push({ change, reason: (error as Error).message });
    }
  }
  return plan;
}

function planChange(change: DecodedChange, options: PlanOptions, plan: { writes: PlannedWrite[]; poison: PoisonChange[]; unrouted: number }): void {
  const id = documentId(change.keys, options.keyAttributes);
  const newRoute = change.eventName === 'REMOVE' ? undefined : routeForChange(change, options.routes);
  const oldRoute = change.oldImage ? routeForChange({ ...change, eventName: 'REMOVE' }, options.routes) : undefined;

  if (oldRoute && oldRoute.index !== newRoute?.index && !(change.isTtlDelete && options.ttlDeletePolicy === 'mark-expired')) {
    plan.writes.push({ index: oldRoute.index, id, change, document: undefined, expired: false });
  }
  if (change.eventName === 'REMOVE') {
    if (oldRoute && change.isTtlDelete && options.ttlDeletePolicy === 'mark-expired') {
      plan.writes.push({ index: oldRoute.index, id, change, document: validated(change.oldImage ?? change.keys, oldRoute, options), expired: true });
    } else if (!oldRoute) {
      // A REMOVE without an OldImage that routes nowhere still has to reach every index that may hold the item.
      for (const index of new Set(options.routes.map((route) => route.index))) plan.writes.push({ index, id, change, document: undefined, expired: false });
    }
    return;
  }
  if (!newRoute) {
    if (options.unroutedPolicy === 'dead-letter') plan.poison.push({ change, reason: 'no index route matches this item (UNROUTED_POLICY=dead-letter)' });
    else plan.unrouted += 1;
    return;
  }
  plan.writes.push({ index: newRoute.index, id, change, document: validated(change.newImage ?? {}, newRoute, options), expired: false });
}

function validated(item: JsonObject, route: IndexRoute, options: PlanOptions): JsonObject {
  if (!route.schema) return item;
  const schema = options.schemas[route.schema];
  if (!schema) throw new Error(`index route "${route.index}" names schema "${route.schema}", which is not registered`);
  const result = schema.safeParse(item);
  if (result.success) return result.data as JsonObject;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`).join('; ');
  throw new Error(`item does not fit the schema "${route.schema}" of index "${route.index}": ${issues}`);
}

/** The writes of one document in a batch: only the last is sent; the first decides where Lambda resumes on failure. */
export interface CoalescedWrite {
  readonly last: PlannedWrite;
  readonly firstSequenceNumber: string;
  readonly changes: number;
}

/**
 * Keeps only the last write per document (per index and id), in batch order — the stream delivers an
 * item's records in order, and every record carries the item's full image.
 */
export function coalesce(writes: readonly PlannedWrite[]): CoalescedWrite[] {
  const byDocument = new Map<string, { last: PlannedWrite; firstSequenceNumber: string; changes: number }>();
  for (const write of writes) {
    const key = `${write.index}\u0000${write.id}`;
    const seen = byDocument.get(key);
    if (seen) {
      seen.last = write;
      seen.changes += 1;
    } else {
      byDocument.set(key, { last: write, firstSequenceNumber: write.change.sequenceNumber, changes: 1 });
    }
  }
  return [...byDocument.values()];
}

/**
 * Lambda resumes a shard before the lowest reported sequence number and re-sends everything after it,
 * so reporting only the earliest failure is both sufficient and minimal.
 */
export function batchItemFailuresFor(failedSequenceNumbers: Iterable<string>): { itemIdentifier: string }[] {
  let earliest: string | undefined;
  for (const sequenceNumber of failedSequenceNumbers) {
    if (earliest === undefined || BigInt(sequenceNumber) < BigInt(earliest)) earliest = sequenceNumber;
  }
  return earliest === undefined ? [] : [{ itemIdentifier: earliest }];
}
