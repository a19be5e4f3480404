import type { Client } from '@opensearch-project/opensearch';
import {
  applyWrites,
  applyWritesEnsuringIndex,
  writeKey,
  type IntendedWrite,
  type WriteOutcome,
  type WriteOutcomes,
} from '@ddb-os/index-writer';
import { snapshotOrderKey, type SyncSource } from '@ddb-os/opensearch-mapping';
import type { SyncTargetConfig } from '@ddb-os/sync-config';
import { emptyCounts } from './checkpoint';
import { WritesNotAppliedError } from './errors';
import { planRawItem, type ItemPlan, type PlanContext } from './item-plan';
import type { NdjsonWriter } from './ndjson-writer';
import type { BackPressure } from './rate-limit';
import type { FailureRecord, ItemCounts, SourcePage } from './types';

/** What writing pages needs. */
export interface PageWriterContext {
  readonly client: Client;
  readonly target: Pick<
    SyncTargetConfig,
    'routes' | 'keyAttributes' | 'versionAttribute' | 'snapshotSafetySeconds' | 'maxBulkBytes' | 'retry'
  >;
  readonly plan: PlanContext;
  readonly backPressure: BackPressure;
  /** Attempts of a page's writes before the run stops (the page stays uncheckpointed). */
  readonly maxPageAttempts: number;
  readonly failures: NdjsonWriter;
  /** `table:<name>` / `export:s3://…`, recorded in failure records. */
  readonly sourceIdentity: string;
  readonly source: SyncSource;
  readonly signal: AbortSignal;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * With AUTO_CREATE_INDEXES, the mappings of each index: writes go through `applyWritesEnsuringIndex`, so an index
   * deleted while the run goes on is created again. @default none: an index is never created by a page write
   */
  readonly mappingsOf?: (index: string) => object;
}

/** What {@link pageWriterFor} takes besides the sync target. */
export type PageWriterParts = Pick<
  PageWriterContext,
  'client' | 'backPressure' | 'maxPageAttempts' | 'failures' | 'sourceIdentity' | 'source' | 'signal' | 'now'
>;

/**
 * The page writer of a sync target, the same for every command that writes pages (backfill, retry-failures): items
 * planned with the target's routes, keys and shapes, and, with `AUTO_CREATE_INDEXES`, writes that create their index
 * when it is missing (`applyWritesEnsuringIndex`), like the indexer.
 *
 * @example
 * const writer = pageWriterFor(target, { client, backPressure: new BackPressure(), maxPageAttempts: 8, failures,
 *   sourceIdentity: 'table:orders', source: 'backfill', signal });
 */
export function pageWriterFor(target: SyncTargetConfig, parts: PageWriterParts): PageWriterContext {
  return {
    ...parts,
    target,
    plan: target,
    ...(target.autoCreateIndexes && { mappingsOf: (index: string) => target.shapes.mappingsOf(index) }),
  };
}

/** The result of one page. */
export interface PageResult {
  readonly counts: ItemCounts;
  /** Extra rounds the page's writes needed after OpenSearch pushed back. */
  readonly retries: number;
  /** The run was aborted while writes were still pending: the page must not be checkpointed. */
  readonly aborted: boolean;
}

interface PlannedWrite {
  readonly write: IntendedWrite;
  readonly plan: Extract<ItemPlan, { kind: 'write' }>;
}

/**
 * Plans a page's items (JSON-safe, route, schema) and writes them with `applyWrites` and the page's snapshot
 * order key, so a write never replaces a newer streamed change nor brings back a deleted item. Items that can
 * never be indexed go to the failures file. Writes that stay `retryable` are retried after the shared
 * back-pressure pause; when they still fail, `WritesNotAppliedError` stops the run before the page is
 * checkpointed.
 */
export async function writePage(page: SourcePage, segment: string, context: PageWriterContext): Promise<PageResult> {
  const counts = emptyCounts();
  counts.read = page.items.length + (page.rejected?.length ?? 0);
  for (const rejected of page.rejected ?? []) {
    await recordFailure(
      context,
      segment,
      counts,
      { kind: 'invalid', index: undefined, id: undefined, keys: undefined, item: rejected.record, reason: rejected.reason },
      rejected.reason,
    );
  }
  const planned: PlannedWrite[] = [];
  for (const raw of page.items) {
    const plan = planRawItem(raw, context.plan);
    if (plan.kind === 'unrouted') counts.unrouted += 1;
    else if (plan.kind === 'invalid') await recordFailure(context, segment, counts, plan, plan.reason);
    else {
      const write = intendedWrite(plan, page.readAtMs, context);
      if (typeof write === 'string') await recordFailure(context, segment, counts, plan, write);
      else planned.push({ write, plan });
    }
  }
  const { outcomes, retries, aborted } = await applyUntilSettled(planned, segment, context);
  if (aborted) return { counts, retries, aborted };
  for (const { write, plan } of planned) {
    const outcome = outcomes.get(writeKey(write));
    if (outcome?.status === 'applied') counts.indexed += 1;
    else if (outcome?.status === 'stale') counts.stale += 1;
    else await recordFailure(context, segment, counts, plan, outcome?.status === 'poison' ? outcome.reason : 'no outcome reported');
  }
  return { counts, retries, aborted };
}

function intendedWrite(plan: Extract<ItemPlan, { kind: 'write' }>, readAtMs: number, context: PageWriterContext): IntendedWrite | string {
  try {
    const order = snapshotOrderKey(readAtMs, plan.item, {
      safetySeconds: context.target.snapshotSafetySeconds,
      versionAttribute: context.target.versionAttribute,
    });
    return { index: plan.index, id: plan.id, order, document: plan.document, keys: plan.keys, meta: { source: context.source } };
  } catch (error) {
    return (error as Error).message;
  }
}

async function applyUntilSettled(
  planned: readonly PlannedWrite[],
  segment: string,
  context: PageWriterContext,
): Promise<{ outcomes: Map<string, WriteOutcome>; retries: number; aborted: boolean }> {
  // Settled outcomes by `writeKey`: the page's writes may go to several indexes.
  const settled = new Map<string, WriteOutcome>();
  let pending = planned.map(({ write }) => write);
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    await context.backPressure.wait(context.signal);
    const outcomes = await applyPending(pending, context);
    const retryable = pending.filter((write) => (outcomes.of(write)?.status ?? 'retryable') === 'retryable');
    for (const write of pending) {
      const outcome = outcomes.of(write);
      if (outcome !== undefined && outcome.status !== 'retryable') settled.set(writeKey(write), outcome);
    }
    if (retryable.length > 0 || outcomes.counters.retries > 0) context.backPressure.pushedBack();
    else context.backPressure.relieved();
    if (retryable.length === 0) return { outcomes: settled, retries: attempt - 1, aborted: false };
    if (context.signal.aborted) return { outcomes: settled, retries: attempt - 1, aborted: true };
    if (attempt >= context.maxPageAttempts) {
      const first = retryable[0] === undefined ? undefined : outcomes.of(retryable[0]);
      throw new WritesNotAppliedError(
        segment,
        retryable.length,
        attempt,
        first?.status === 'retryable' ? first.reason : 'no outcome reported',
      );
    }
    pending = retryable;
  }
  return { outcomes: settled, retries: 0, aborted: false };
}

function applyPending(writes: readonly IntendedWrite[], context: PageWriterContext): Promise<WriteOutcomes> {
  const options = { maxBulkBytes: context.target.maxBulkBytes, retry: context.target.retry };
  const { mappingsOf } = context;
  if (mappingsOf === undefined) return applyWrites(context.client, writes, options);
  return applyWritesEnsuringIndex(context.client, writes, options, (index) => ({ mappings: mappingsOf(index) }));
}

async function recordFailure(
  context: PageWriterContext,
  segment: string,
  counts: ItemCounts,
  plan: ItemPlan,
  reason: string,
): Promise<void> {
  counts.failed += 1;
  const record: FailureRecord = {
    failedAt: (context.now?.() ?? new Date()).toISOString(),
    source: context.sourceIdentity,
    segment,
    ...(plan.kind !== 'unrouted' && plan.index !== undefined ? { index: plan.index } : {}),
    ...(plan.id !== undefined ? { id: plan.id } : {}),
    ...(plan.keys !== undefined ? { keys: plan.keys } : {}),
    reason,
    item: plan.item,
  };
  await context.failures.write(record);
}
