import { coalesce, planBatch } from '@ddb-os/indexing-core';
import { buildDocument, buildTombstone, streamOrderKey, streamWriteMeta, syncMetadata, writeAlias } from '@ddb-os/opensearch-mapping';
import type { SyncRouting } from '@ddb-os/sync-config';
import { decodeBatch } from '@ddb-os/stream-decoding';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { round } from './stats';
import type { CeilingRun, PrebuiltBulk } from './types';

/**
 * Builds, ahead of timing, the `_bulk` bodies carrying exactly the documents (and tombstones) the indexer would
 * write for these batches, with the same `ddbSync` metadata, into `index` (its write alias), without the
 * compare-and-set (`if_seq_no`) and without the `_mget` before it: what OpenSearch alone can take.
 */
export function prebuildBulks(events: readonly DynamoDBStreamEvent[], routing: SyncRouting, index: string): PrebuiltBulk[] {
  return events.map((event) => {
    const { changes } = decodeBatch(event);
    const plan = planBatch(
      changes.map((change, position) => ({ change, position })),
      { ...routing, ttlDeletePolicy: 'delete', unroutedPolicy: 'skip' },
    );
    const lines: string[] = [];
    const writes = coalesce(plan.writes);
    for (const last of writes) {
      const meta = syncMetadata({ order: streamOrderKey(last.change), ...streamWriteMeta(last.change) });
      const source =
        last.document === undefined ? buildTombstone(last.change.keys, meta) : buildDocument(last.document, last.change.keys, meta);
      lines.push(JSON.stringify({ index: { _index: writeAlias(index), _id: last.id } }), JSON.stringify(source));
    }
    return { records: event.Records.length, documents: writes.length, ndjson: `${lines.join('\n')}\n` };
  });
}

/**
 * Combines the three timings of one run into its figures.
 *
 * @example
 * ceilingRun({ records: 1000, documents: 800 }, { sequentialMs: 500, parallelMs: 400, indexerMs: 1000 }).ratio; // 0.5
 */
export function ceilingRun(
  size: { readonly records: number; readonly documents: number },
  times: { readonly sequentialMs: number; readonly parallelMs: number; readonly indexerMs: number },
): CeilingRun {
  const perSecond = (count: number, ms: number) => round((count / ms) * 1000);
  return {
    ceilingRecordsPerSecond: perSecond(size.records, times.sequentialMs),
    ceilingDocumentsPerSecond: perSecond(size.documents, times.sequentialMs),
    parallelCeilingRecordsPerSecond: perSecond(size.records, times.parallelMs),
    indexerRecordsPerSecond: perSecond(size.records, times.indexerMs),
    ratio: round(times.sequentialMs / times.indexerMs),
  };
}
