import type { Client } from '@opensearch-project/opensearch';
import { applyWrites, ensureIndex, type IntendedWrite } from '@ddb-os/index-writer';
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
  const ready = new Map<string, Promise<void>>();
  const prepare = (index: string): Promise<void> => {
    if (!config.autoCreateIndexes) return Promise.resolve();
    const pending = ready.get(index) ?? ensureIndex(client, { index, mappings: mappingsForIndex(index, config, schemas) });
    ready.set(index, pending);
    // A failed creation (cluster down) must be attempted again by the next batch.
    pending.catch(() => ready.delete(index));
    return pending;
  };

  return {
    async write(index, writes, msLeft): Promise<DocumentOutcome[]> {
      await prepare(index);
      const intended = writes.map(toIntendedWrite);
      const outcomes = await applyWrites(client, intended, { maxBulkBytes: config.maxBulkBytes, retry: config.retry, deadline: msLeft });
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
