import { writeAlias } from '@ddb-os/opensearch-mapping';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { batchGetItems, keyFromJson } from './batch-get';
import { countDocuments, liveDocumentIds, scrollHits, type ScrollHit } from './index-reads';
import type { DriftEntry } from './types';
import { indexesOf, inSample, itemDocumentId, routeOf, routingProjection, safeDocumentId, type Run } from './verify-run';

/** Phase 3: each (sampled) document of the read alias vs the table. */
export async function extrasPhase(run: Run): Promise<void> {
  const indexes = indexesOf(run.dependencies.target.routes);
  run.progress.begin(
    'extras',
    indexes.map((index) => ({ id: index, label: index })),
  );
  for (const index of indexes) {
    if (await provenWithoutExtras(run, index)) {
      run.tally.extrasProven.push(index);
      run.progress.update(index, { done: 0, finished: true });
      continue;
    }
    let done = 0;
    for await (const hits of scrollHits(run.dependencies.openSearch, index, run.controller.signal)) {
      const sampled = hits.filter((hit) => inSample(hit._id, run.options));
      run.tally.documentsChecked += sampled.length;
      await checkDocuments(run, index, sampled);
      done += hits.length;
      run.progress.update(index, { done });
    }
    run.progress.update(index, { done, finished: true });
  }
  run.progress.end();
}

/**
 * Whether phase 2 already proves that `index` holds no document without a table item: every item routed there
 * matched its own document (distinct keys, distinct ids) and, after a refresh, the read alias counts exactly that
 * many live documents, so there is no room for another. Needs the full key phase (no sample); any doubt (a drifted
 * key, a count that differs, a refresh that fails) means the index is scrolled as usual.
 */
export async function provenWithoutExtras(run: Run, index: string): Promise<boolean> {
  const { options, tally } = run;
  if (options.fullExtras === true || !options.keys || options.sample < 1 || tally.driftedIndexes.has(index)) return false;
  const client = run.dependencies.openSearch;
  try {
    await client.indices.refresh({ index: writeAlias(index) });
    return (await countDocuments(client, index)) === (tally.comparedByIndex.get(index) ?? 0);
  } catch {
    return false;
  }
}

export async function checkDocuments(run: Run, index: string, hits: readonly ScrollHit[]): Promise<void> {
  const keyAttributes = run.dependencies.target.keyAttributes;
  const candidates: (DriftEntry & { readonly id: string })[] = [];
  const readable: { hit: ScrollHit; keys: JsonObject }[] = [];
  for (const hit of hits) {
    const keys = hit._source?.ddbKeys;
    const usable = keys !== null && typeof keys === 'object' && !Array.isArray(keys) && keyFromJson(keys, run.info.keyTypes) !== undefined;
    if (!usable)
      candidates.push({
        kind: 'extra',
        index,
        id: hit._id,
        keys: undefined,
        reason: 'the document has no usable ddbKeys (not written by a sync writer?)',
      });
    else if (safeDocumentId(keys, keyAttributes) !== hit._id)
      candidates.push({ kind: 'extra', index, id: hit._id, keys, reason: 'the document id does not match its ddbKeys' });
    else readable.push({ hit, keys });
  }
  const items = await batchGetItems(
    run.dependencies.dynamo,
    run.options.table,
    readable.map(({ keys }) => keyFromJson(keys, run.info.keyTypes) as NonNullable<ReturnType<typeof keyFromJson>>),
    routingProjection(run),
  );
  const byId = new Map(items.map((item) => [itemDocumentId(item, keyAttributes), item]));
  for (const { hit, keys } of readable) {
    const item = byId.get(hit._id);
    if (item === undefined) {
      if (isKeptExpired(hit)) run.tally.expiredKept += 1;
      else candidates.push({ kind: 'extra', index, id: hit._id, keys, reason: 'no table item has this key' });
      continue;
    }
    const route = routeOf(item, run.dependencies.target.routes);
    if (route?.index !== index) {
      candidates.push({
        kind: 'extra',
        index,
        id: hit._id,
        keys,
        reason: route === undefined ? 'the table item matches no index route' : `the table item routes to index ${route.index}`,
      });
    }
  }
  const live = await liveDocumentIds(
    run.dependencies.openSearch,
    index,
    candidates.map((entry) => entry.id),
  );
  for (const entry of candidates) if (live.has(entry.id)) await run.found(entry);
}

/** A document of an item TTL deleted, kept on purpose under the sync's `ttlDeletes: 'mark-expired'`. */
export function isKeptExpired(hit: ScrollHit): boolean {
  return hit._source?.ddbSync?.expired === true || hit._source?.ddbSync?.eventName === 'REMOVE';
}
