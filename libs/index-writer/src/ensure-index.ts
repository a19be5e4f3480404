import { errors, type Client } from '@opensearch-project/opensearch';
import { describeError, indexCreationBody, physicalIndexName, writeAlias, type BulkResponseItem } from '@ddb-os/opensearch-mapping';
import { applyWrites } from './apply-writes';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from './backoff';
import { DEFAULT_ENSURE_INDEX_RETRY, DEFAULT_MIN_ATTEMPT_MS, DEFAULT_MIN_TOMBSTONE_AGE_MS, PURGE_BATCH_SIZE } from './constants';
import { IndexCreationError, InvalidIndexWriterConfigError, TombstonePurgeError, UnsafeTombstonePurgeError } from './errors';
import { classifyRequestError, errorCauseOf, responseErrorReason } from './request-errors';
import type { ApplyWritesOptions, EnsureIndexOptions, IntendedWrite, PurgeResult, PurgeTombstonesOptions, WriteCounters } from './types';
import { parseOrThrow, retryPolicySchema } from './validation';
import { isMissingIndex, WriteOutcomes } from './write-outcomes';

/**
 * Base names whose write alias is known to exist (or is being checked), per client: the check is one request per
 * process and index, and concurrent callers share it.
 */
const knownIndexes = new WeakMap<Client, Map<string, Promise<void>>>();

/**
 * Makes sure the index of `options.index` exists: when its write alias exists, nothing to do; otherwise creates
 * `<base>-v1` with the mappings, the write alias and the filtered read alias in one request. A concurrent creator
 * winning the race (`resource_already_exists_exception`) is fine. The result is cached per client and base name
 * (see {@link forgetIndex}). A check or creation that fails for a cluster or network reason is retried with
 * full-jitter exponential backoff (`options.retry`, within `options.msLeft`); then `IndexCreationError` says
 * "(after N attempts)".
 *
 * @example
 * await ensureIndex(client, { index: 'products', mappings: mappingFromZod(productSchema), settings: { replicas: 0 } });
 */
export async function ensureIndex(client: Client, options: EnsureIndexOptions): Promise<void> {
  const known = knownIndexes.get(client) ?? new Map<string, Promise<void>>();
  knownIndexes.set(client, known);
  const pending = known.get(options.index) ?? bootstrap(client, options);
  known.set(options.index, pending);
  try {
    await pending;
  } catch (error) {
    // A failed bootstrap is attempted again by the next caller.
    if (known.get(options.index) === pending) known.delete(options.index);
    throw error;
  }
}

/**
 * Forgets that the index of `base` exists for `client`, so that the next {@link ensureIndex} checks it (and creates
 * it) again: for an index deleted behind the process's back.
 *
 * @example
 * forgetIndex(client, 'products');
 */
export function forgetIndex(client: Client, base: string): void {
  knownIndexes.get(client)?.delete(base);
}

/**
 * `applyWrites` after {@link ensureIndex} of every index the writes go to (`ensureFor(index)` gives its mappings and
 * settings). Writes that fail because the write alias is missing (`index_not_found_exception`: the index was deleted
 * after this process bootstrapped it; `applyWrites` does not retry them) make it forget those indexes, bootstrap them
 * again and retry those writes, once per call; the counters of both calls are added up. The writes of an index that
 * cannot be created are `retryable` with the reason; the others are written.
 *
 * @example
 * const outcomes = await applyWritesEnsuringIndex(client, writes, { maxBulkBytes, retry }, (index) => ({ mappings: mappingsOf(index) }));
 */
export async function applyWritesEnsuringIndex(
  client: Client,
  writes: readonly IntendedWrite[],
  options: ApplyWritesOptions,
  ensureFor: (index: string) => Omit<EnsureIndexOptions, 'index'>,
): Promise<WriteOutcomes> {
  const unavailable = await ensureIndexes(client, indexesOf(writes), ensureFor);
  const first = await applyWrites(
    client,
    writes.filter((write) => !unavailable.has(write.index)),
    options,
  );
  const lost = writes.filter((write) => isMissingIndex(first.of(write)));
  for (const index of indexesOf(lost)) forgetIndex(client, index);
  const stillUnavailable = lost.length === 0 ? new Map<string, string>() : await ensureIndexes(client, indexesOf(lost), ensureFor);
  const retried =
    lost.length === 0
      ? undefined
      : await applyWrites(
          client,
          lost.filter((write) => !stillUnavailable.has(write.index)),
          options,
        );
  return combined(writes, first, retried, new Map([...unavailable, ...stillUnavailable]));
}

function indexesOf(writes: readonly IntendedWrite[]): string[] {
  return [...new Set(writes.map((write) => write.index))];
}

/** Bootstraps each index; resolves with why each one that could not be created was not. */
async function ensureIndexes(
  client: Client,
  indexes: readonly string[],
  ensureFor: (index: string) => Omit<EnsureIndexOptions, 'index'>,
): Promise<Map<string, string>> {
  const unavailable = new Map<string, string>();
  for (const index of indexes) {
    try {
      await ensureIndex(client, { ...ensureFor(index), index });
    } catch (error) {
      if (!(error instanceof IndexCreationError)) throw error;
      unavailable.set(index, error.message);
    }
  }
  return unavailable;
}

/** One outcome per write: the retried one when there is one, else the first; the counters of both calls added up. */
function combined(
  writes: readonly IntendedWrite[],
  first: WriteOutcomes,
  retried: WriteOutcomes | undefined,
  unavailable: ReadonlyMap<string, string>,
): WriteOutcomes {
  const counters = { ...first.counters };
  if (retried !== undefined) {
    for (const [name, value] of Object.entries(retried.counters) as Array<[keyof WriteCounters, number]>) counters[name] += value;
  }
  const outcomes = new WriteOutcomes(counters);
  for (const write of writes) {
    const reason = unavailable.get(write.index);
    const outcome = retried?.of(write) ?? first.of(write) ?? (reason === undefined ? undefined : { status: 'retryable' as const, reason });
    if (outcome === undefined) continue;
    if (first.of(write) !== undefined && retried?.of(write) !== undefined) counters.retryable -= 1;
    else if (first.of(write) === undefined) counters.retryable += 1;
    outcomes.set(write, outcome);
  }
  return outcomes;
}

async function bootstrap(client: Client, options: EnsureIndexOptions): Promise<void> {
  const policy = parseOrThrow(retryPolicySchema, options.retry ?? DEFAULT_ENSURE_INDEX_RETRY, 'ensureIndex retry');
  const msLeft = options.msLeft ?? ((): number => Number.POSITIVE_INFINITY);
  const index = physicalIndexName(options.index, 1);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const exists = await client.indices.existsAlias({ name: writeAlias(options.index) });
      if (exists.body !== true) await createFirstVersion(client, options);
      return;
    } catch (error) {
      const reason = retryableReason(error);
      if (reason === undefined) throw creationError(index, error);
      const delay = backoffDelayMs(policy, attempt, options.random ?? Math.random);
      if (attempt >= policy.maxAttempts || msLeft() - delay < DEFAULT_MIN_ATTEMPT_MS) {
        throw new IndexCreationError(index, `${reason} (after ${attempt} attempts)`, { cause: error });
      }
      await (options.sleep ?? sleep)(delay);
    }
  }
}

async function createFirstVersion(client: Client, options: EnsureIndexOptions): Promise<void> {
  const index = physicalIndexName(options.index, 1);
  const body = indexCreationBody(options.index, 1, options.mappings, options.settings);
  const settings = { ...body.settings, index: { ...body.settings.index, ...options.additionalSettings } };
  try {
    await client.indices.create({ index, body: { ...body, settings } });
  } catch (error) {
    if (error instanceof errors.ResponseError && errorCauseOf(error.body)?.type === 'resource_already_exists_exception') {
      return;
    }
    throw error;
  }
}

/** Why a check or creation may succeed when tried again, or undefined when it cannot (a refused request, a bug). */
function retryableReason(error: unknown): string | undefined {
  if (error instanceof errors.ResponseError) {
    const status = error.meta.statusCode ?? 0;
    return status === 408 || status === 429 || status >= 500 ? responseErrorReason(error) : undefined;
  }
  try {
    return classifyRequestError(error).reason;
  } catch {
    return undefined;
  }
}

function creationError(index: string, error: unknown): IndexCreationError {
  const reason = error instanceof errors.ResponseError ? responseErrorReason(error) : String(error);
  return new IndexCreationError(index, reason, { cause: error });
}

/**
 * Deletes tombstones (`ddbSync.deleted: true`) whose `ddbSync.indexedAt` is older than `olderThanMs`, from the
 * physical index behind the write alias. Refuses ages below the stream retention plus a loader run (48 h) unless
 * `allowYoungTombstones` is set: a tombstone purged too early no longer stops an older write.
 *
 * Each tombstone is deleted with `if_seq_no`/`if_primary_term` of the version the search found, so one that a
 * writer overwrote meanwhile is left alone (`versionConflicts`). Search + conditional bulk delete rather than
 * `_delete_by_query`, which needs the `reindex` module (absent from minimal distributions such as the local stack's).
 *
 * @example
 * const { deleted } = await purgeTombstones(client, 'products', { olderThanMs: 7 * 24 * 3600 * 1000 });
 */
export async function purgeTombstones(client: Client, base: string, options: PurgeTombstonesOptions): Promise<PurgeResult> {
  if (!Number.isFinite(options.olderThanMs) || options.olderThanMs < 0) {
    throw new InvalidIndexWriterConfigError('purgeTombstones options', [
      `olderThanMs: must be a non-negative number, got ${String(options.olderThanMs)}`,
    ]);
  }
  if (options.olderThanMs < DEFAULT_MIN_TOMBSTONE_AGE_MS && options.allowYoungTombstones !== true) {
    throw new UnsafeTombstonePurgeError(options.olderThanMs, DEFAULT_MIN_TOMBSTONE_AGE_MS);
  }
  const index = writeAlias(base);
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanMs).toISOString();
  const total = { deleted: 0, versionConflicts: 0 };
  for (;;) {
    await client.indices.refresh({ index });
    const tombstones = await findTombstones(client, index, cutoff);
    if (tombstones.length === 0) {
      return total;
    }
    const round = await deleteExactly(client, base, tombstones);
    total.deleted += round.deleted;
    total.versionConflicts += round.versionConflicts;
    if (round.deleted === 0) {
      return total;
    }
  }
}

interface FoundTombstone {
  readonly _index: string;
  readonly _id: string;
  readonly _seq_no: number;
  readonly _primary_term: number;
}

async function findTombstones(client: Client, index: string, cutoff: string): Promise<FoundTombstone[]> {
  const response = await client.search({
    index,
    body: {
      size: PURGE_BATCH_SIZE,
      _source: false,
      seq_no_primary_term: true,
      query: { bool: { filter: [{ term: { 'ddbSync.deleted': true } }, { range: { 'ddbSync.indexedAt': { lt: cutoff } } }] } },
    },
  });
  return response.body.hits.hits as unknown as FoundTombstone[];
}

async function deleteExactly(client: Client, base: string, tombstones: readonly FoundTombstone[]): Promise<PurgeResult> {
  const body = tombstones.map((hit) => ({
    delete: { _index: hit._index, _id: hit._id, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term },
  }));
  const response = await client.bulk({ body });
  const result = { deleted: 0, versionConflicts: 0 };
  for (const item of response.body.items as BulkResponseItem[]) {
    const status = item.delete?.status ?? 0;
    if (status === 200) result.deleted += 1;
    else if (status === 409 || status === 404) result.versionConflicts += 1;
    else throw new TombstonePurgeError(base, describeError(item.delete?.error));
  }
  return result;
}
