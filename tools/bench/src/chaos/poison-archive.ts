import { parseArchiveKey, type Archive, type ArchiveKind, type S3ArchiveStore } from '@ddb-os/failure-archive';
import { documentId } from '@ddb-os/opensearch-mapping';
import { toJsonSafe, type AnyAttributeValue } from '@ddb-os/stream-decoding';
import { ArchiveObjectUnreadableError } from '../errors';
import { CHAOS_KEY_ATTRIBUTES } from './resources';
import type { ChaosKey } from './workload';

/**
 * Where the poison INSERT of each poison key was archived. A key can be in both places (dead-lettered by one
 * delivery of its batch, then given up with a later delivery of it): `total` counts distinct keys.
 */
export interface PoisonArchiveCount {
  /** Keys found in a `poison-record` object (the indexer dead-lettered the record). */
  readonly dlq: number;
  /** Keys found in a `stream-batch` object (the runner gave up a batch holding the record). */
  readonly givenUpBatch: number;
  /** Keys found in either. */
  readonly total: number;
  /** Keys found in neither, as `pk|sk`. */
  readonly missing: readonly string[];
}

/**
 * Counts, per poison key, whether its poison record (the INSERT of that key) is in the archive, as a DLQ
 * poison-record object or inside an archived given-up batch. Matched by document id, as the indexer and
 * replay identify items.
 *
 * @example
 * countArchivedPoison(await readArchive(store, 'failures/'), poisonKeys(4)).total; // 4 when every poison record was archived
 */
export function countArchivedPoison(archives: readonly Archive[], poison: readonly ChaosKey[]): PoisonArchiveCount {
  const inDlq = poisonInsertIds(archives, 'poison-record');
  const inGivenUpBatch = poisonInsertIds(archives, 'stream-batch');
  const ids = poison.map((key) => ({ key, id: documentId({ pk: key.pk, sk: key.sk }, CHAOS_KEY_ATTRIBUTES) }));
  const found = ids.filter(({ id }) => inDlq.has(id) || inGivenUpBatch.has(id));
  return {
    dlq: ids.filter(({ id }) => inDlq.has(id)).length,
    givenUpBatch: ids.filter(({ id }) => inGivenUpBatch.has(id)).length,
    total: found.length,
    missing: ids.filter(({ id }) => !inDlq.has(id) && !inGivenUpBatch.has(id)).map(({ key }) => `${key.pk}|${key.sk}`),
  };
}

/**
 * Every archive object under `prefix`, listed and read the way replay does (keys outside the archive key
 * scheme are not archive objects and are left out, as `replay list` reports them apart).
 *
 * @throws ArchiveObjectUnreadableError naming the object that cannot be read or decoded.
 */
export async function readArchive(store: Pick<S3ArchiveStore, 'list' | 'read'>, prefix: string): Promise<Archive[]> {
  const archives: Archive[] = [];
  for await (const object of store.list(prefix)) {
    if (!parseArchiveKey(object.key, prefix)) continue;
    try {
      archives.push(await store.read(object.key));
    } catch (error) {
      throw new ArchiveObjectUnreadableError(object.key, error);
    }
  }
  return archives;
}

/** Document ids of the INSERT records in the archives of `kind` (the poison put is the first write of its key). */
function poisonInsertIds(archives: readonly Archive[], kind: ArchiveKind): Set<string> {
  const ids = new Set<string>();
  for (const archive of archives) {
    if (archive.header.kind !== kind) continue;
    for (const record of archive.records) {
      const id = insertIdOf(record);
      if (id !== undefined) ids.add(id);
    }
  }
  return ids;
}

function insertIdOf(record: unknown): string | undefined {
  const { eventName, dynamodb } = (record ?? {}) as { eventName?: unknown; dynamodb?: { Keys?: Record<string, AnyAttributeValue> } };
  if (eventName !== 'INSERT' || dynamodb?.Keys === undefined) return undefined;
  return documentId(toJsonSafe(dynamodb.Keys, { numberPolicy: 'string', pathPrefix: 'Keys' }), CHAOS_KEY_ATTRIBUTES);
}
