import type { Client } from '@opensearch-project/opensearch';
import {
  buildBulkActions,
  buildDocument,
  buildTombstone,
  bulkNdjson,
  classifyBulkItem,
  DuplicateWriteError,
  InvalidOrderKeyError,
  InvalidSyncMetadataError,
  planWrite,
  splitByBytes,
  storedBy,
  syncMetadata,
  writeAlias,
  type BulkAction,
  type BulkItemClass,
  type BulkResponseItem,
  type BulkWrite,
  type SyncMetadataInput,
  type WritePlan,
} from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from './backoff';
import { DEFAULT_MAX_CONFLICT_ROUNDS, DEFAULT_MIN_ATTEMPT_MS } from './constants';
import { classifyRequestError } from './request-errors';
import { knownVersionsOf, readStoredVersions, type KnownVersions, type StoredRead } from './stored-versions';
import type { ApplyWritesOptions, IntendedWrite, RetryPolicy, WriteCounters, WriteOutcome } from './types';
import { parseOrThrow, retryPolicySchema } from './validation';
import { isMissingIndexReason, writeKey, WriteOutcomes } from './write-outcomes';

const optionsSchema = z.object({
  maxBulkBytes: z.int().positive(),
  retry: retryPolicySchema,
  maxConflictRounds: z.int().min(0).default(DEFAULT_MAX_CONFLICT_ROUNDS),
  minAttemptMs: z.number().min(0).default(DEFAULT_MIN_ATTEMPT_MS),
  requestTimeoutMs: z.int().positive().optional(),
});

interface Settings {
  readonly maxBulkBytes: number;
  readonly retry: RetryPolicy;
  readonly maxConflictRounds: number;
  readonly minAttemptMs: number;
  readonly requestTimeoutMs: number | undefined;
  readonly msLeft: () => number;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** A write with its final document; `bytes` etc. come later from the bulk action. */
interface PreparedWrite extends BulkWrite {
  readonly intended: IntendedWrite;
  /** `writeKey(intended)`: what the run's per-write state is keyed by. */
  readonly key: string;
}

interface Run {
  readonly client: Client;
  readonly settings: Settings;
  readonly outcomes: WriteOutcomes;
  readonly counters: WriteCounters;
  /** Failed (retryable) attempts per write key. */
  readonly failures: Map<string, number>;
  /** Conflict re-reads per write key. */
  readonly conflicts: Map<string, number>;
  /** Last reason a write was not written, for its final outcome. */
  readonly lastReason: Map<string, string>;
  /** Writes whose first attempt is a `create` without a read (see `createsUnread`); removed once attempted. */
  readonly unread: Set<string>;
  /** Versions seen in earlier responses, to plan writes without a read (see `guessPlan`). */
  readonly known: KnownVersions;
}

/** What one round (read, plan, bulk) left undone. */
interface RoundResult {
  /** Write keys this round planned without reading them (`guessPlan`). */
  readonly guessed: ReadonlySet<string>;
  readonly conflicted: PreparedWrite[];
  /** Guessed plans the document did not match (409): to be read and planned, not a race. */
  readonly existing: PreparedWrite[];
  readonly failed: PreparedWrite[];
}

/**
 * Applies a coalesced set of writes (at most one per index and id; any number of indexes) by compare-and-set, as
 * docs/consistency.md describes: one realtime `_mget` of the stored order keys across indexes → plan (skip / create /
 * index-if) → `_bulk` in chunks of at most `maxBulkBytes` → per-item outcome, keyed by (index, id). Writes to documents whose version this client saw in an earlier response,
 * and first attempts of stream INSERTs, skip the `_mget` (`guessPlan`); a 409 sends them back to be read.
 * Other 409s are re-read and re-planned (`maxConflictRounds`); retryable failures
 * (429, 5xx, timeouts, connection errors, whole-request failures) are retried with full-jitter exponential
 * backoff while `retry.maxAttempts` and `msLeft` allow. A missing write alias (`index_not_found_exception`) is not
 * retried: its writes are `retryable` at once, for `applyWritesEnsuringIndex` to bootstrap the index. Never refreshes.
 * A write whose earlier attempt landed although its response was lost comes back as `stale`.
 * Throws `DuplicateWriteError` for two writes to one id of one index, `InvalidIndexWriterConfigError` for bad options.
 *
 * @example
 * const outcomes = await applyWrites(client, writes, {
 *   maxBulkBytes: 5 * 1024 * 1024,
 *   retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5_000 },
 *   msLeft: () => context.getRemainingTimeInMillis() - 5_000,
 * });
 * for (const [{ index, id }, outcome] of outcomes) if (outcome.status === 'poison') sendToDlq(index, id, outcome.reason);
 * logger.info('bulk done', { ...outcomes.counters });
 */
export async function applyWrites(client: Client, writes: readonly IntendedWrite[], options: ApplyWritesOptions): Promise<WriteOutcomes> {
  const settings = resolveSettings(options);
  const counters: WriteCounters = {
    applied: 0,
    stale: 0,
    conflictsRetried: 0,
    retries: 0,
    poison: 0,
    retryable: 0,
    mgetRequests: 0,
    bulkRequests: 0,
  };
  const run: Run = {
    client,
    settings,
    outcomes: new WriteOutcomes(counters),
    counters,
    failures: new Map(),
    conflicts: new Map(),
    lastReason: new Map(),
    unread: new Set(),
    known: knownVersionsOf(client),
  };
  await execute(run, prepareWrites(run, writes));
  return run.outcomes;
}

function resolveSettings(options: ApplyWritesOptions): Settings {
  const parsed = parseOrThrow(optionsSchema, options, 'applyWrites options');
  return {
    ...parsed,
    requestTimeoutMs: parsed.requestTimeoutMs,
    msLeft: options.msLeft ?? ((): number => Number.POSITIVE_INFINITY),
    now: options.now ?? ((): Date => new Date()),
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
}

/** Builds each write's document; a document that cannot be built (reserved attribute, invalid order key) is poison on its own. */
function prepareWrites(run: Run, writes: readonly IntendedWrite[]): PreparedWrite[] {
  const seen = new Set<string>();
  const prepared: PreparedWrite[] = [];
  // A call's writes go to a handful of indexes: each base name is validated and turned into its alias once.
  const aliases = new Map<string, string>();
  const indexedAt = run.settings.now();
  for (const write of writes) {
    const key = writeKey(write);
    if (seen.has(key)) {
      throw new DuplicateWriteError(write.index, write.id);
    }
    seen.add(key);
    const index = writeAliasOnce(aliases, write.index);
    try {
      const meta = syncMetadata(metadataInput(write, indexedAt));
      const source = write.document === undefined ? buildTombstone(write.keys, meta) : buildDocument(write.document, write.keys, meta);
      prepared.push({ id: write.id, order: write.order, index, source, intended: write, key });
      if (createsUnread(write)) run.unread.add(key);
    } catch (error) {
      if (!(error instanceof InvalidSyncMetadataError || error instanceof InvalidOrderKeyError)) {
        throw error;
      }
      settle(run, write, { status: 'poison', reason: error.message });
    }
  }
  return prepared;
}

/** `syncMetadata`'s input for a write, field by field (no spread of `write.meta` per write on this hot path). */
function metadataInput(write: IntendedWrite, indexedAt: Date): SyncMetadataInput {
  const { meta } = write;
  return {
    source: meta.source,
    sequenceNumber: meta.sequenceNumber,
    eventName: meta.eventName,
    changedAt: meta.changedAt,
    expired: meta.expired,
    order: write.order,
    deleted: write.document === undefined,
    indexedAt,
  };
}

function writeAliasOnce(aliases: Map<string, string>, base: string): string {
  let alias = aliases.get(base);
  if (alias === undefined) {
    alias = writeAlias(base);
    aliases.set(base, alias);
  }
  return alias;
}

/**
 * A stream INSERT is the item's first state since its last REMOVE, so its id most likely has no document
 * yet: its first attempt is a `create` without the `_mget` — also when later changes of the same batch were coalesced
 * into it (`expectsNoDocument`: an item created, then updated or deleted in one batch). `create` is itself a
 * compare-and-set against "no document" (OpenSearch refuses it with 409 when any document, tombstone included,
 * exists), so it lands only where the read would have planned the same `create`; a 409 sends the write back to be
 * read and planned as usual.
 */
function createsUnread(write: IntendedWrite): boolean {
  if (write.expectsNoDocument === true) return true;
  return write.document !== undefined && write.meta.source === 'stream' && write.meta.eventName === 'INSERT';
}

async function execute(run: Run, writes: PreparedWrite[]): Promise<void> {
  let pending = writes;
  let backoffRound = 0;
  while (pending.length > 0) {
    if (run.settings.msLeft() < run.settings.minAttemptMs) {
      giveUp(run, pending, 'deadline reached before the write could be (re)tried');
      return;
    }
    const { conflicted, existing, failed } = await runRound(run, pending);
    const next = [...existing, ...retryConflicts(run, conflicted), ...retryFailures(run, failed)];
    if (next.length > 0 && failed.length > 0) {
      backoffRound += 1;
      const delay = backoffDelayMs(run.settings.retry, backoffRound, run.settings.random);
      if (run.settings.msLeft() - delay < run.settings.minAttemptMs) {
        giveUp(run, next, 'no time left before the deadline to retry');
        return;
      }
      await run.settings.sleep(delay);
    }
    pending = next;
  }
}

/**
 * One compare-and-set round: plan without a read what can be (`guessPlan`), read the stored versions of the rest,
 * plan them, send the bulk chunks, classify the items.
 */
async function runRound(run: Run, writes: readonly PreparedWrite[]): Promise<RoundResult> {
  const guesses: Array<WritePlan<PreparedWrite>> = [];
  const toRead: PreparedWrite[] = [];
  for (const write of writes) {
    const guess = guessPlan(run, write);
    if (guess === undefined) toRead.push(write);
    else guesses.push(guess);
  }
  const result: RoundResult = { guessed: new Set(guesses.map((plan) => plan.write.key)), conflicted: [], existing: [], failed: [] };
  const plans = toRead.length === 0 ? guesses : [...guesses, ...(await readAndPlan(run, toRead, result))];
  for (const plan of plans) {
    if (plan.kind === 'skip') {
      settle(run, plan.write.intended, { status: 'stale' });
    }
  }
  const { chunks, tooLarge } = splitByBytes(buildBulkActions(plans), run.settings.maxBulkBytes);
  for (const action of tooLarge) {
    decide(run, result, action.write, { kind: 'poison', reason: tooLargeReason(action.bytes, run.settings.maxBulkBytes) });
  }
  const queue = [...chunks];
  for (let chunk = queue.shift(); chunk !== undefined; chunk = queue.shift()) {
    queue.unshift(...(await sendChunk(run, chunk, result)));
  }
  return result;
}

/**
 * A plan made without a read, or undefined when the write must be read first:
 * - `index-if` over the version this process last saw for the document, when ours is newer (a skip is only ever
 *   decided on a fresh read: the document may have changed or gone since);
 * - `create` for the first attempt of a stream INSERT whose document this process has not seen (`createsUnread`).
 * Both are still compare-and-set: when the guess is wrong OpenSearch answers 409 and nothing is written.
 */
function guessPlan(run: Run, write: PreparedWrite): WritePlan<PreparedWrite> | undefined {
  const unread = run.unread.delete(write.key);
  const known = run.known.recall(write.index, write.id);
  if (known !== undefined) {
    const plan = planWrite(known, write);
    return plan.kind === 'index-if' ? plan : undefined;
  }
  return unread ? { kind: 'create', write } : undefined;
}

/** `_mget` of every write, then the plan of each write that could be read; the others are `failed`. */
async function readAndPlan(run: Run, writes: readonly PreparedWrite[], result: RoundResult): Promise<Array<WritePlan<PreparedWrite>>> {
  run.counters.mgetRequests += 1;
  let reads: StoredRead[];
  try {
    reads = await readStoredVersions(run.client, writes, requestOptions(run));
  } catch (error) {
    const failure = classifyRequestError(error);
    writes.forEach((write) => decide(run, result, write, { kind: 'retryable', reason: `_mget failed: ${failure.reason}` }));
    return [];
  }
  const plans: Array<WritePlan<PreparedWrite>> = [];
  writes.forEach((write, position) => {
    const read = reads[position];
    if (read === undefined || 'unreadable' in read) {
      decide(run, result, write, { kind: 'retryable', reason: read?.unreadable ?? `_mget returned no entry for "${write.id}"` });
      return;
    }
    if (read.stored?.order !== undefined) run.known.remember(write.index, write.id, read.stored);
    else run.known.forget(write.index, write.id);
    plans.push(planWrite(read.stored, write));
  });
  return plans;
}

/** Sends one chunk; returns smaller chunks to send instead when the cluster found it too large (413). */
async function sendChunk(
  run: Run,
  chunk: Array<BulkAction<PreparedWrite>>,
  result: RoundResult,
): Promise<Array<Array<BulkAction<PreparedWrite>>>> {
  run.counters.bulkRequests += 1;
  let items: readonly BulkResponseItem[];
  try {
    // The NDJSON text each action already holds goes out as it is (`client.bulk` would serialise every line again).
    const response = await run.client.transport.request(
      { method: 'POST', path: '/_bulk', bulkBody: bulkNdjson(chunk) },
      requestOptions(run),
    );
    items = (response.body as { items: readonly BulkResponseItem[] }).items;
  } catch (error) {
    const failure = classifyRequestError(error);
    if (failure.kind === 'too-large') {
      return splitOversizedChunk(run, result, chunk, failure.reason);
    }
    chunk.forEach((action) => decide(run, result, action.write, { kind: 'retryable', reason: `_bulk failed: ${failure.reason}` }));
    return [];
  }
  chunk.forEach((action, position) => recordItem(run, result, action, items[position]));
  return [];
}

function splitOversizedChunk(
  run: Run,
  result: RoundResult,
  chunk: Array<BulkAction<PreparedWrite>>,
  reason: string,
): Array<Array<BulkAction<PreparedWrite>>> {
  if (chunk.length > 1) {
    const half = Math.ceil(chunk.length / 2);
    return [chunk.slice(0, half), chunk.slice(half)];
  }
  chunk.forEach((action) =>
    decide(run, result, action.write, { kind: 'poison', reason: `the cluster refused a request of this document alone: ${reason}` }),
  );
  return [];
}

function recordItem(run: Run, result: RoundResult, action: BulkAction<PreparedWrite>, item: BulkResponseItem | undefined): void {
  const classification =
    item === undefined ? { kind: 'retryable' as const, reason: 'missing from the _bulk response' } : classifyBulkItem(item);
  const stored = classification.kind === 'ok' && item !== undefined ? storedBy(item) : undefined;
  if (stored === undefined) run.known.forget(action.write.index, action.write.id);
  else run.known.remember(action.write.index, action.write.id, { order: action.write.order, ...stored });
  decide(run, result, action.write, classification);
}

/**
 * The one place an attempt of a write is classified: applied; poison, with the reason (the document itself was
 * refused, or is too large: retrying cannot help); a conflict, to re-read and re-plan; or retryable, with the reason.
 */
function decide(run: Run, result: RoundResult, write: PreparedWrite, verdict: BulkItemClass): void {
  switch (verdict.kind) {
    case 'ok':
      settle(run, write.intended, { status: 'applied' });
      return;
    case 'poison':
      settle(run, write.intended, { status: 'poison', reason: verdict.reason });
      return;
    case 'conflict':
      run.lastReason.set(write.key, verdict.reason);
      (result.guessed.has(write.key) ? result.existing : result.conflicted).push(write);
      return;
    case 'retryable':
      fail(run, result, write, verdict.reason);
      return;
  }
}

/** Conflicted writes go round again (re-read, re-plan) until `maxConflictRounds`. */
function retryConflicts(run: Run, conflicted: readonly PreparedWrite[]): PreparedWrite[] {
  return conflicted.filter((write) => {
    const rounds = increment(run.conflicts, write.key);
    if (rounds > run.settings.maxConflictRounds) {
      settle(run, write.intended, {
        status: 'retryable',
        reason: `version conflict persisted after ${rounds} attempts: ${run.lastReason.get(write.key) ?? ''}`,
      });
      return false;
    }
    run.counters.conflictsRetried += 1;
    return true;
  });
}

/** Failed writes go round again after a backoff until `retry.maxAttempts`. */
function retryFailures(run: Run, failed: readonly PreparedWrite[]): PreparedWrite[] {
  return failed.filter((write) => {
    const attempts = increment(run.failures, write.key);
    if (attempts >= run.settings.retry.maxAttempts) {
      settle(run, write.intended, {
        status: 'retryable',
        reason: `${run.lastReason.get(write.key) ?? 'failed'} (after ${attempts} attempts)`,
      });
      return false;
    }
    run.counters.retries += 1;
    return true;
  });
}

/** A write not written this round (see `decide`): retried later, except into a missing index, which retrying cannot create. */
function fail(run: Run, result: RoundResult, write: PreparedWrite, reason: string): void {
  run.known.forget(write.index, write.id);
  if (isMissingIndexReason(reason)) {
    settle(run, write.intended, { status: 'retryable', reason: `${reason} (the write alias is missing: not retried)` });
    return;
  }
  run.lastReason.set(write.key, reason);
  result.failed.push(write);
}

function giveUp(run: Run, writes: readonly PreparedWrite[], why: string): void {
  for (const write of writes) {
    const last = run.lastReason.get(write.key);
    settle(run, write.intended, { status: 'retryable', reason: last === undefined ? why : `${last} (${why})` });
  }
}

function settle(run: Run, write: IntendedWrite, outcome: WriteOutcome): void {
  run.outcomes.set(write, outcome);
  if (outcome.status === 'applied') run.counters.applied += 1;
  else if (outcome.status === 'stale') run.counters.stale += 1;
  else if (outcome.status === 'poison') run.counters.poison += 1;
  else run.counters.retryable += 1;
}

function requestOptions(run: Run): { requestTimeout?: number } {
  const cap = Math.min(run.settings.requestTimeoutMs ?? Number.POSITIVE_INFINITY, run.settings.msLeft());
  return Number.isFinite(cap) ? { requestTimeout: Math.max(1, Math.floor(cap)) } : {};
}

function tooLargeReason(bytes: number, maxBytes: number): string {
  return `document too large: its bulk action is ${bytes} bytes, over maxBulkBytes (${maxBytes})`;
}

function increment(counts: Map<string, number>, key: string): number {
  const next = (counts.get(key) ?? 0) + 1;
  counts.set(key, next);
  return next;
}
