import { errors, type Client } from '@opensearch-project/opensearch';
import { indexCreationBody, physicalIndexName, writeAlias } from '@ddb-os/opensearch-mapping';
import { DEFAULT_MIN_TOMBSTONE_AGE_MS } from './constants';
import { IndexCreationError, InvalidIndexWriterConfigError, UnsafeTombstonePurgeError } from './errors';
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
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanMs).toISOString();
  const response = await client.deleteByQuery({
    index: writeAlias(base),
    conflicts: 'proceed',
    refresh: true,
    body: {
      query: {
        bool: {
          filter: [{ term: { 'ddbSync.deleted': true } }, { range: { 'ddbSync.indexedAt': { lt: cutoff } } }],
        },
      },
    },
  });
  const summary = response.body as { deleted?: number; version_conflicts?: number };
  return { deleted: summary.deleted ?? 0, versionConflicts: summary.version_conflicts ?? 0 };
}
