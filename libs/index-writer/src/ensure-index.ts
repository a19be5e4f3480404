import { errors, type Client } from '@opensearch-project/opensearch';
import { describeError, indexCreationBody, physicalIndexName, writeAlias, type BulkResponseItem } from '@ddb-os/opensearch-mapping';
import { DEFAULT_MIN_TOMBSTONE_AGE_MS, PURGE_BATCH_SIZE } from './constants';
import { IndexCreationError, InvalidIndexWriterConfigError, TombstonePurgeError, UnsafeTombstonePurgeError } from './errors';
import { errorCauseOf, responseErrorReason } from './request-errors';
import type { EnsureIndexOptions, PurgeResult, PurgeTombstonesOptions } from './types';

/** Base names whose write alias is known to exist, per client (the check is one request per process and index). */
const knownIndexes = new WeakMap<Client, Set<string>>();

/**
 * Makes sure the index of `options.index` exists: when its write alias exists, nothing to do; otherwise creates
 * `<base>-v1` with the mappings, the write alias and the filtered read alias in one request. A concurrent creator
 * winning the race (`resource_already_exists_exception`) is fine. The result is cached per client and base name.
 *
 * @example
 * await ensureIndex(client, { index: 'products', mappings: mappingFromZod(productSchema), settings: { replicas: 0 } });
 */
export async function ensureIndex(client: Client, options: EnsureIndexOptions): Promise<void> {
  const known = knownIndexes.get(client) ?? new Set<string>();
  knownIndexes.set(client, known);
  if (known.has(options.index)) {
    return;
  }
  const exists = await client.indices.existsAlias({ name: writeAlias(options.index) });
  if (exists.body !== true) {
    await createFirstVersion(client, options);
  }
  known.add(options.index);
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
    const reason = error instanceof errors.ResponseError ? responseErrorReason(error) : String(error);
    throw new IndexCreationError(index, reason, { cause: error });
  }
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
    throw new InvalidIndexWriterConfigError('purgeTombstones options', [`olderThanMs: must be a non-negative number, got ${String(options.olderThanMs)}`]);
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
  const body = tombstones.map((hit) => ({ delete: { _index: hit._index, _id: hit._id, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term } }));
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
