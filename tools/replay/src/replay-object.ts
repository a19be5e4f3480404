import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { replayedKey, type Archive, type S3ArchiveStore } from '@ddb-os/failure-archive';
import { applyWrites, applyWritesEnsuringIndex, type WriteOutcome } from '@ddb-os/index-writer';
import { writeAlias } from '@ddb-os/opensearch-mapping';
import { toJsonSafe } from '@ddb-os/stream-decoding';
import type { Client } from '@opensearch-project/opensearch';
import type { ReplayConfig } from './config';
import { REPAIR_ADVICE, UNPARSEABLE_ADVICE } from './constants';
import { planTarget } from './plan';
import { collectTargets } from './targets';
import type { ObjectReport, PlannedWrite, ReplayTarget, TableRead } from './types';

/** What replaying needs. */
export interface ReplayDependencies {
  readonly config: ReplayConfig;
  /** The archive: read and move objects; `list`/`readMetadata` select them for a filtered run. */
  readonly store: Pick<S3ArchiveStore, 'read' | 'move' | 'list' | 'readMetadata'>;
  readonly dynamo: DynamoDBClient;
  readonly openSearch: Client;
  /** Wall clock in epoch ms (tests pin it). */
  readonly clock: () => number;
}

interface Tally {
  indexed: number;
  deleted: number;
  stale: number;
  skipped: number;
  failed: number;
  readonly failures: { id: string | null; reason: string }[];
  readonly skips: { id: string; reason: string }[];
}

/**
 * Replays one archive object: re-reads every affected item from the table (strongly consistent) and
 * writes its current state — or a tombstone when it is gone — with `applyWrites` under
 * `snapshotOrderKey(readAt)`, so replay never puts older data over newer. Moves the object to the
 * replayed prefix when everything landed; `dryRun` reads but changes nothing.
 *
 * @example
 * const report = await replayObject(deps, 'failures/orders/2026/03/04/poison/7-7.ndjson', { dryRun: true });
 */
export async function replayObject(deps: ReplayDependencies, key: string, options: { readonly dryRun: boolean }): Promise<ObjectReport> {
  const archive = await deps.store.read(key);
  const { header } = archive;
  const report = emptyReport(key, archive);
  if (header.kind === 'unparseable') return { ...report, status: 'manual', advice: UNPARSEABLE_ADVICE };
  const table = deps.config.tableName ?? header.table;
  if (table === null) return failedReport(report, 'the archive names no table: set TABLE_NAME');

  const tally: Tally = { indexed: 0, deleted: 0, stale: 0, skipped: 0, failed: 0, failures: [], skips: [] };
  const { targets, unreadable } = collectTargets(archive.records, deps.config);
  for (const record of unreadable) fail(tally, null, `record #${record.position + 1}: ${record.reason}`);
  const writes = await planWrites(deps, table, targets, tally);

  if (options.dryRun) {
    const planned = writes.map(({ index, id, action, order }) => ({ index, id, action, order }));
    return { ...report, ...countsOf(tally, targets.length), status: 'dry-run', planned, advice: header.lost ? REPAIR_ADVICE : null };
  }
  await writeAll(deps, writes, tally);
  const counted = { ...report, ...countsOf(tally, targets.length) };
  if (tally.failed > 0)
    return { ...counted, status: 'failed', advice: 'fix the cause (see failures), then run replay again: writes are idempotent' };
  if (header.lost) return { ...counted, status: 'needs-repair', advice: REPAIR_ADVICE };
  const movedTo = replayedKey(key, deps.config.archive.prefix, deps.config.archive.replayedPrefix);
  await deps.store.move(key, movedTo);
  return { ...counted, status: 'replayed', movedTo };
}

async function planWrites(
  deps: ReplayDependencies,
  table: string,
  targets: readonly ReplayTarget[],
  tally: Tally,
): Promise<PlannedWrite[]> {
  const writes: PlannedWrite[] = [];
  for (const target of targets) {
    let read: TableRead;
    try {
      read = await readItem(deps, table, target);
    } catch (error) {
      fail(tally, target.id, `reading the item from table ${table} failed: ${(error as Error).message}`);
      continue;
    }
    const plan = planTarget(target, read, deps.config);
    if (plan.kind === 'write') writes.push(...plan.writes);
    else if (plan.kind === 'fail') fail(tally, target.id, plan.reason);
    else {
      tally.skipped += 1;
      tally.skips.push({ id: target.id, reason: plan.reason });
    }
  }
  return writes;
}

/** The read time is taken before the request is sent: the order key must not be later than the state read. */
async function readItem(deps: ReplayDependencies, table: string, target: ReplayTarget): Promise<TableRead> {
  const readAtMs = deps.clock();
  const { Item } = await deps.dynamo.send(new GetItemCommand({ TableName: table, Key: target.tableKey, ConsistentRead: true }));
  return { item: Item ? toJsonSafe(Item, { numberPolicy: deps.config.numberPolicy }) : undefined, readAtMs };
}

/**
 * Every index in one `applyWrites` call. Like the indexer: with AUTO_CREATE_INDEXES each index is created on first
 * use (same mappings), and again when it was deleted since; without, a missing write alias fails the writes — a bulk
 * write to it would create a stray index.
 */
async function writeAll(deps: ReplayDependencies, writes: readonly PlannedWrite[], tally: Tally): Promise<void> {
  if (writes.length === 0) return;
  const options = { maxBulkBytes: deps.config.maxBulkBytes, retry: deps.config.retry };
  if (deps.config.autoCreateIndexes) {
    const mappingsOf = (index: string): { mappings: object } => ({ mappings: deps.config.shapes.mappingsOf(index) });
    const outcomes = await applyWritesEnsuringIndex(deps.openSearch, writes, options, mappingsOf);
    for (const write of writes) count(tally, write, outcomes.of(write));
    return;
  }
  const missing = await missingIndexes(deps, writes);
  const writable = writes.filter((write) => !missing.has(write.index));
  const outcomes = writable.length === 0 ? undefined : await applyWrites(deps.openSearch, writable, options);
  for (const write of writes) {
    const reason = missing.get(write.index);
    if (reason === undefined) count(tally, write, outcomes?.of(write));
    else fail(tally, write.id, reason);
  }
}

function count(tally: Tally, write: PlannedWrite, outcome: WriteOutcome | undefined): void {
  if (outcome === undefined) return fail(tally, write.id, `no outcome reported for ${write.index}`);
  if (outcome.status === 'applied') {
    if (write.action === 'index') tally.indexed += 1;
    else tally.deleted += 1;
  } else if (outcome.status === 'stale') {
    tally.stale += 1;
  } else {
    fail(tally, write.id, `${write.action} in ${write.index}: ${outcome.status}: ${outcome.reason}`);
  }
}

/** Why each index without a write alias cannot be written. */
async function missingIndexes(deps: ReplayDependencies, writes: readonly PlannedWrite[]): Promise<Map<string, string>> {
  const missing = new Map<string, string>();
  for (const index of new Set(writes.map((write) => write.index))) {
    const alias = writeAlias(index);
    const { body } = await deps.openSearch.indices.existsAlias({ name: alias });
    if (!body)
      missing.set(
        index,
        `index ${index} has no write alias ${alias} and AUTO_CREATE_INDEXES is off: create the index (or fix the sync's routes), then replay again`,
      );
  }
  return missing;
}

function fail(tally: Tally, id: string | null, reason: string): void {
  tally.failed += 1;
  tally.failures.push({ id, reason });
}

function countsOf(tally: Tally, items: number): Pick<ObjectReport, 'counts' | 'failures' | 'skips'> {
  const { indexed, deleted, stale, skipped, failed, failures, skips } = tally;
  return { counts: { items, indexed, deleted, stale, skipped, failed }, failures, skips };
}

function emptyReport(key: string, archive: Archive): ObjectReport {
  return {
    key,
    kind: archive.header.kind,
    table: archive.header.table,
    status: 'failed',
    counts: { items: 0, indexed: 0, deleted: 0, stale: 0, skipped: 0, failed: 0 },
    failures: [],
    skips: [],
    planned: [],
    movedTo: null,
    lost: archive.header.lost,
    advice: null,
  };
}

function failedReport(report: ObjectReport, reason: string): ObjectReport {
  return { ...report, status: 'failed', counts: { ...report.counts, failed: 1 }, failures: [{ id: null, reason }] };
}
