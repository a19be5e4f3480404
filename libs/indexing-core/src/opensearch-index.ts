import type { Client } from '@opensearch-project/opensearch';
import { applyWrites, applyWritesEnsuringIndex, type IntendedWrite } from '@ddb-os/index-writer';
import { streamWriteMeta } from '@ddb-os/opensearch-mapping';
import { mappingsForIndex } from '@ddb-os/sync-config';
import type { ZodObject } from 'zod';
import type { IndexingConfig } from './config';
import type { CoalescedWrite } from './plan-batch';
import type { DocumentOutcome, IndexPort } from './index-records';

/**
 * The OpenSearch side of indexing: creates each routed index on first use (versioned, behind aliases)
 * and writes coalesced changes with the versioned compare-and-set of `@ddb-os/index-writer`.
 */
export function createOpenSearchIndex(client: Client, config: IndexingConfig, schemas: Readonly<Record<string, ZodObject>>): IndexPort {
  const mappings = new Map<string, object>();
  const mappingsOf = (index: string): object => {
    const built = mappings.get(index) ?? mappingsForIndex(index, config, schemas);
    mappings.set(index, built);
    return built;
  };

  return {
    async write(index, writes, msLeft): Promise<DocumentOutcome[]> {
      const intended = writes.map(toIntendedWrite);
      const options = { maxBulkBytes: config.maxBulkBytes, retry: config.retry, deadline: msLeft };
      // ensureIndex caches per client, retries like the writes, and is redone when the index was deleted meanwhile.
      const outcomes = config.autoCreateIndexes
        ? await applyWritesEnsuringIndex(client, intended, options, { index, mappings: mappingsOf(index), retry: config.retry, deadline: msLeft })
        : await applyWrites(client, intended, options);
      return intended.map((write) => outcomes.get(write.id) ?? { status: 'retryable', reason: 'no outcome reported for this document' });
    },
  };
}

function toIntendedWrite({ last }: CoalescedWrite): IntendedWrite {
  return {
    index: last.index,
    id: last.id,
    order: last.order,
    document: last.document,
    keys: last.change.keys,
    meta: last.expired ? { ...streamWriteMeta(last.change), expired: true } : streamWriteMeta(last.change),
  };
}
