import type { Client } from '@opensearch-project/opensearch';
import { applyWrites, applyWritesEnsuringIndex, type IntendedWrite } from '@ddb-os/index-writer';
import { streamWriteMeta } from '@ddb-os/opensearch-mapping';
import type { IndexingConfig } from './config';
import type { DocumentWrite } from './plan-batch';
import type { IndexPort } from './index-records';

/**
 * The OpenSearch side of indexing: creates each routed index on first use (versioned, behind aliases)
 * and writes a batch's coalesced changes, all indexes in one call, with the versioned compare-and-set of
 * `@ddb-os/index-writer`.
 */
export function createOpenSearchIndex(client: Client, config: IndexingConfig): IndexPort {
  const mappings = new Map<string, object>();
  const mappingsOf = (index: string): object => {
    const built = mappings.get(index) ?? config.shapes.mappingsOf(index);
    mappings.set(index, built);
    return built;
  };

  return {
    async write(writes, msLeft) {
      const intended = writes.map(toIntendedWrite);
      const options = { maxBulkBytes: config.maxBulkBytes, retry: config.retry, msLeft };
      // ensureIndex caches per client, retries like the writes, and is redone when the index was deleted meanwhile.
      return config.autoCreateIndexes
        ? applyWritesEnsuringIndex(client, intended, options, (index) => ({ mappings: mappingsOf(index), retry: config.retry, msLeft }))
        : applyWrites(client, intended, options);
    },
  };
}

function toIntendedWrite(write: DocumentWrite): IntendedWrite {
  return {
    index: write.index,
    id: write.id,
    order: write.order,
    document: write.document,
    keys: write.change.keys,
    meta: write.expired ? { ...streamWriteMeta(write.change), expired: true } : streamWriteMeta(write.change),
    expectsNoDocument: write.beginsWithInsert,
  };
}
