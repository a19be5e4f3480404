import { errors, type Client } from '@opensearch-project/opensearch';
import { readAlias, writeAlias } from '@ddb-os/opensearch-mapping';
import type { JsonObject, JsonValue } from '@ddb-os/stream-decoding';
import { DEFAULTS } from './constants';

/** One entry of an `_mget` response. */
export interface MgetDoc {
  readonly _id?: string;
  readonly found?: boolean;
  readonly _source?: JsonObject;
  readonly error?: { readonly type?: string; readonly reason?: string };
}

/** One hit of the extras scroll, with the fields phase 3 reads. */
export interface ScrollHit {
  readonly _id: string;
  readonly _source?: { readonly ddbKeys?: JsonValue; readonly ddbSync?: { readonly eventName?: string; readonly expired?: boolean } };
}

/**
 * Every document of the read alias, a page at a time (`helpers.scrollSearch`: 429 retries, scroll cleared at the
 * end, on abort or when the consumer stops); nothing for an index that does not exist yet.
 *
 * @example
 * for await (const hits of scrollHits(client, 'orders', signal)) console.log(hits.length);
 */
export async function* scrollHits(client: Client, index: string, signal?: AbortSignal): AsyncGenerator<ScrollHit[]> {
  const pages = client.helpers.scrollSearch<ScrollHit>({
    index: readAlias(index),
    scroll: DEFAULTS.scrollKeepAlive,
    size: DEFAULTS.scrollPageSize,
    body: { query: { match_all: {} }, sort: ['_doc'], _source: ['ddbKeys', 'ddbSync.eventName', 'ddbSync.expired'] },
  });
  let current: { clear: () => Promise<void> } | undefined;
  let exhausted = false;
  try {
    for await (const page of pages) {
      current = page;
      if (signal?.aborted) return;
      yield page.body.hits.hits as unknown as ScrollHit[];
    }
    exhausted = true;
  } catch (error) {
    // Only the first search may find no index: a 404 later is an expired scroll, which must not end the phase quietly.
    if (current === undefined && isIndexNotFound(error)) return;
    throw error;
  } finally {
    // The helper clears the scroll only when it reaches the end; an abort or a failing consumer must not leave it open.
    if (!exhausted && current !== undefined) await current.clear().catch(() => undefined);
  }
}

/** The read alias `_count` of an index (0 when it does not exist yet). */
export async function countDocuments(client: Client, index: string): Promise<number> {
  try {
    const response = await client.count({ index: readAlias(index) });
    return response.body.count;
  } catch (error) {
    if (isIndexNotFound(error)) return 0;
    throw error;
  }
}

/**
 * The ids, among `ids`, whose document is live right now (realtime `_mget` on the write alias): the scroll sees
 * the last refresh only, so a document deleted since (a tombstone now) must not be reported as extra.
 */
export async function liveDocumentIds(client: Client, index: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const response = await client.mget({
    index: writeAlias(index),
    body: { ids: [...ids] },
    _source_includes: ['ddbSync.deleted'],
    realtime: true,
  });
  const docs = response.body.docs as readonly MgetDoc[];
  return new Set(docs.filter((doc) => doc.found === true && !isTombstone(doc._source)).map((doc) => doc._id ?? ''));
}

/** A tombstone: the document of a deleted item, kept so that an older write cannot bring it back. */
export function isTombstone(source: JsonObject | undefined): boolean {
  const sync = source?.['ddbSync'];
  return sync !== null && typeof sync === 'object' && !Array.isArray(sync) && sync['deleted'] === true;
}

export function isIndexNotFound(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 404;
}
