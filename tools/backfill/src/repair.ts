import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Client } from '@opensearch-project/opensearch';
import { applyWrites, writeKey, type IntendedWrite, type WriteOutcome, type WriteOutcomes } from '@ddb-os/index-writer';
import { documentId, snapshotOrderKey, type SyncSource } from '@ddb-os/opensearch-mapping';
import { toJsonSafe, type JsonObject } from '@ddb-os/stream-decoding';
import type { SyncTargetConfig } from '@ddb-os/sync-config';
import { batchGetItems, keyFromJson } from './batch-get';
import { keysOf, planRawItem, type PlanContext } from './item-plan';
import type { KeyType } from './table-scan';
import type { DriftEntry, RawItem, RepairOutcome } from './types';

/** What repairing needs. */
export interface RepairContext {
  readonly dynamo: DynamoDBClient;
  readonly table: string;
  readonly keyTypes: Readonly<Record<string, KeyType>>;
  readonly client: Client;
  readonly target: Pick<SyncTargetConfig, 'keyAttributes' | 'versionAttribute' | 'snapshotSafetySeconds' | 'maxBulkBytes' | 'retry'>;
  readonly plan: PlanContext;
  /** `repair` for verify --repair, `backfill` when retrying a failures file. */
  readonly source: SyncSource;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * A document to bring in line with the table: `index` and `keys` name it. A drift entry of an item that cannot be
 * converted or keyed has no index or id: it is reported `unrepaired` with its reason, never written.
 */
export interface RepairTarget {
  readonly index: string | undefined;
  readonly id: string | undefined;
  readonly keys: JsonObject | undefined;
  /** Why the item is invalid (kind `invalid`), quoted when it cannot be repaired. */
  readonly reason?: string;
}

/** A target that names one document. */
type DocumentTarget = RepairTarget & { readonly index: string; readonly id: string };

type Desired = { readonly write: IntendedWrite } | { readonly unrepaired: string };

/**
 * Brings documents in line with the table: re-reads their items (one strongly consistent BatchGetItem, the read
 * time taken before it) and writes, per document, the item when it routes to the document's index, else a
 * tombstone, with `applyWrites` and the snapshot order key, so a repair never overwrites a newer streamed
 * change. In `VERSION_ATTRIBUTE` mode an absent item cannot be tombstoned by a table read: such documents are
 * reported `unrepaired` (the stream's REMOVE record, or its replay, deletes them).
 *
 * @example
 * const outcomes = await repairDocuments([{ index: 'products', id, keys: { pk: 'PRODUCT#1', sk: 'PRODUCT' } }], context);
 */
export async function repairDocuments(targets: readonly RepairTarget[], context: RepairContext): Promise<RepairOutcome[]> {
  const keyed = targets.map((target) =>
    target.keys === undefined || !namesDocument(target) ? undefined : keyFromJson(target.keys, context.keyTypes),
  );
  const uniqueKeys = new Map<string, NonNullable<(typeof keyed)[number]>>();
  targets.forEach((target, position) => {
    const key = keyed[position];
    if (key !== undefined && target.id !== undefined) uniqueKeys.set(target.id, key);
  });
  const readAtMs = (context.now ?? Date.now)();
  const items = indexById(await batchGetItems(context.dynamo, context.table, [...uniqueKeys.values()]), context.target.keyAttributes);
  const desired = targets.map((target, position): Desired => {
    if (!namesDocument(target))
      return {
        unrepaired: `no document to repair: the table item cannot be indexed${target.reason === undefined ? '' : `: ${target.reason}`}`,
      };
    if (keyed[position] === undefined) return { unrepaired: 'the document has no usable table key (ddbKeys) to read the item with' };
    return desiredState(target, items.get(target.id), readAtMs, context);
  });
  const outcomes = await applyDesired(desired, context);
  return desired.map((state) =>
    'unrepaired' in state ? { status: 'unrepaired', reason: state.unrepaired } : toRepairOutcome(outcomes?.of(state.write)),
  );
}

/** Repairs drift entries, returning each with its repair outcome. */
export async function repairEntries(entries: readonly DriftEntry[], context: RepairContext): Promise<DriftEntry[]> {
  const outcomes = await repairDocuments(entries, context);
  return entries.map((entry, position) => ({ ...entry, repair: outcomes[position] ?? { status: 'unrepaired', reason: 'no outcome' } }));
}

function namesDocument(target: RepairTarget): target is DocumentTarget {
  return target.index !== undefined && target.id !== undefined;
}

function indexById(items: readonly RawItem[], keyAttributes: readonly string[]): Map<string, RawItem> {
  const byId = new Map<string, RawItem>();
  for (const item of items) {
    try {
      byId.set(documentId(toJsonSafe(keyOnly(item, keyAttributes)), keyAttributes), item);
    } catch {
      // A key that has no document id cannot be one of the requested documents.
    }
  }
  return byId;
}

function keyOnly(item: RawItem, keyAttributes: readonly string[]): RawItem {
  return Object.fromEntries(keyAttributes.filter((name) => item[name] !== undefined).map((name) => [name, item[name] as RawItem[string]]));
}

function desiredState(target: DocumentTarget, raw: RawItem | undefined, readAtMs: number, context: RepairContext): Desired {
  const keys = target.keys ?? {};
  if (raw === undefined) return tombstone(target, keys, undefined, readAtMs, context);
  const plan = planRawItem(raw, context.plan);
  if (plan.kind === 'write' && plan.index === target.index) {
    return orderedWrite(target, plan.keys, plan.document, plan.item, readAtMs, context);
  }
  if (plan.kind === 'invalid' && (plan.index === target.index || plan.index === undefined)) {
    return { unrepaired: `the table item cannot be indexed: ${plan.reason}` };
  }
  // The item routes to another index (or to none): this index must not show it.
  const item = typeof plan.item === 'object' && plan.item !== null && !Array.isArray(plan.item) ? plan.item : undefined;
  return tombstone(target, item === undefined ? keys : keysOf(item, context.target.keyAttributes), item, readAtMs, context);
}

function tombstone(
  target: DocumentTarget,
  keys: JsonObject,
  item: JsonObject | undefined,
  readAtMs: number,
  context: RepairContext,
): Desired {
  return orderedWrite(target, keys, undefined, item, readAtMs, context);
}

function orderedWrite(
  target: DocumentTarget,
  keys: JsonObject,
  document: JsonObject | undefined,
  item: JsonObject | undefined,
  readAtMs: number,
  context: RepairContext,
): Desired {
  try {
    const order = snapshotOrderKey(readAtMs, item, {
      safetySeconds: context.target.snapshotSafetySeconds,
      versionAttribute: context.target.versionAttribute,
    });
    return { write: { index: target.index, id: target.id, order, document, keys, meta: { source: context.source } } };
  } catch (error) {
    if (item === undefined && context.target.versionAttribute !== undefined) {
      return {
        unrepaired:
          `the item is gone, and with VERSION_ATTRIBUTE a table read cannot order a tombstone: ` +
          'the stream (or a replay of its REMOVE record) must delete this document',
      };
    }
    return { unrepaired: (error as Error).message };
  }
}

/** One `applyWrites` for every index (outcomes by index and id); a document named twice is written once. */
async function applyDesired(desired: readonly Desired[], context: RepairContext): Promise<WriteOutcomes | undefined> {
  const writes = new Map<string, IntendedWrite>();
  for (const state of desired) {
    if (!('unrepaired' in state)) writes.set(writeKey(state.write), state.write);
  }
  if (writes.size === 0) return undefined;
  return applyWrites(context.client, [...writes.values()], { maxBulkBytes: context.target.maxBulkBytes, retry: context.target.retry });
}

function toRepairOutcome(outcome: WriteOutcome | undefined): RepairOutcome {
  if (outcome === undefined) return { status: 'unrepaired', reason: 'no outcome reported for this document' };
  if (outcome.status === 'applied') return { status: 'repaired' };
  if (outcome.status === 'stale') return { status: 'stale', reason: 'the index already holds a change newer than this read' };
  return { status: 'unrepaired', reason: `${outcome.status}: ${outcome.reason}` };
}
