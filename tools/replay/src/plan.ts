import {
  routeFor,
  snapshotOrderKey,
  streamOrderKey,
  type DocumentShapes,
  type IndexRoute,
  type JsonObject,
  type OrderKey,
} from '@ddb-os/opensearch-mapping';
import type { PlannedWrite, ReplayTarget, TableRead, TargetPlan } from './types';

/** What planning a target needs: the indexer's routing and ordering settings. */
export interface PlanOptions {
  readonly routes: readonly IndexRoute[];
  /** The sync's document shapes: documents are validated and shaped as the indexer does. */
  readonly shapes: DocumentShapes;
  /** `SNAPSHOT_SAFETY_SECONDS`: seconds subtracted from the read time (clock skew allowance). */
  readonly snapshotSafetySeconds: number;
  readonly versionAttribute: string | undefined;
}

const REPLAY_META = { source: 'replay' } as const;

/**
 * Decides what to write for one item from its current table state: the item itself (ordered by
 * `snapshotOrderKey(readAt)`, so it can never overwrite a newer change), or a tombstone when the item is
 * gone, plus tombstones in indexes the archived images routed it to that it no longer belongs to.
 *
 * @example
 * const plan = planTarget(target, { item, readAtMs }, { routes, shapes, snapshotSafetySeconds: 2, versionAttribute: undefined });
 */
export function planTarget(target: ReplayTarget, read: TableRead, options: PlanOptions): TargetPlan {
  try {
    return read.item === undefined ? planDeleted(target, read, options) : planPresent(target, read.item, read, options);
  } catch (error) {
    return { kind: 'fail', reason: (error as Error).message };
  }
}

function planPresent(target: ReplayTarget, item: JsonObject, read: TableRead, options: PlanOptions): TargetPlan {
  const order = snapshotOrderKey(read.readAtMs, item, {
    safetySeconds: options.snapshotSafetySeconds,
    versionAttribute: options.versionAttribute,
  });
  const route = routeFor(item, options.routes);
  const staleIndexes = archivedIndexes(target, options.routes).filter((index) => index !== route?.index);
  const writes: PlannedWrite[] = staleIndexes.map((index) => tombstone(target, index, order));
  if (route)
    writes.push({
      index: route.index,
      id: target.id,
      order,
      document: options.shapes.documentOf(item, route),
      keys: target.keys,
      meta: REPLAY_META,
      action: 'index',
    });
  if (writes.length === 0) return { kind: 'skip', reason: 'no index route matches the item' };
  return { kind: 'write', writes };
}

function planDeleted(target: ReplayTarget, read: TableRead, options: PlanOptions): TargetPlan {
  const order = tombstoneOrder(target, read, options);
  if (order === undefined) {
    return {
      kind: 'skip',
      reason: `item deleted; in version mode (${options.versionAttribute}) only its REMOVE record can order the tombstone, and the archive has none`,
    };
  }
  const routed = archivedIndexes(target, options.routes);
  // Like the indexer: a deleted item whose images route nowhere may be in any index.
  const indexes = routed.length > 0 ? routed : [...new Set(options.routes.map((route) => route.index))];
  return { kind: 'write', writes: indexes.map((index) => tombstone(target, index, order)) };
}

function tombstoneOrder(target: ReplayTarget, read: TableRead, options: PlanOptions): OrderKey | undefined {
  if (options.versionAttribute === undefined)
    return snapshotOrderKey(read.readAtMs, undefined, { safetySeconds: options.snapshotSafetySeconds });
  const lastRemove = target.archivedRemoves[target.archivedRemoves.length - 1];
  return lastRemove ? streamOrderKey(lastRemove, { versionAttribute: options.versionAttribute }) : undefined;
}

function tombstone(target: ReplayTarget, index: string, order: OrderKey): PlannedWrite {
  return { index, id: target.id, order, document: undefined, keys: target.keys, meta: REPLAY_META, action: 'tombstone' };
}

/** Indexes the archived images (or, without images, the keys) of the item route to. */
function archivedIndexes(target: ReplayTarget, routes: readonly IndexRoute[]): string[] {
  const images = target.archivedImages.length > 0 ? target.archivedImages : [target.keys];
  const indexes = images.map((image) => routeFor(image, routes)?.index).filter((index): index is string => index !== undefined);
  return [...new Set(indexes)];
}
