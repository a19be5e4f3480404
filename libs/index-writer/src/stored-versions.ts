import type { Client } from '@opensearch-project/opensearch';
import { describeError, isOrderKey, type BulkItemError, type BulkWrite, type StoredVersion } from '@ddb-os/opensearch-mapping';

/** What a realtime `_mget` says about each write's document. */
export interface StoredVersions {
  /** Per id: the stored version, or `undefined` when there is no document. */
  readonly stored: Map<string, StoredVersion | undefined>;
  /** Per id: why its document could not be read (e.g. the write alias is missing). */
  readonly unreadable: Map<string, string>;
}

interface MgetDoc {
  readonly _id?: string;
  readonly found?: boolean;
  readonly _seq_no?: number;
  readonly _primary_term?: number;
  readonly _source?: { readonly ddbSync?: { readonly order?: unknown } };
  readonly error?: BulkItemError;
}

/**
 * Reads `ddbSync.order`, `_seq_no` and `_primary_term` of every write's document in one realtime `_mget`
 * (realtime: sees writes not yet refreshed). Throws what the client throws for a failed request.
 */
export async function readStoredVersions(
  client: Client,
  writes: readonly BulkWrite[],
  requestOptions: { requestTimeout?: number },
): Promise<StoredVersions> {
  const response = await client.mget(
    {
      body: { docs: writes.map((write) => ({ _index: write.index, _id: write.id })) },
      _source_includes: ['ddbSync.order'],
      realtime: true,
    },
    requestOptions,
  );
  const docs = response.body.docs as readonly MgetDoc[];
  const stored = new Map<string, StoredVersion | undefined>();
  const unreadable = new Map<string, string>();
  writes.forEach((write, position) => {
    const doc = docs[position];
    if (doc === undefined || doc._id !== write.id) {
      unreadable.set(write.id, `_mget returned no entry for "${write.id}" at position ${position}`);
    } else if (doc.error !== undefined) {
      unreadable.set(write.id, `_mget failed: ${describeError(doc.error)}`);
    } else if (doc.found === true && (doc._seq_no === undefined || doc._primary_term === undefined)) {
      unreadable.set(write.id, `_mget returned "${write.id}" without _seq_no/_primary_term`);
    } else {
      stored.set(write.id, storedVersionOf(doc));
    }
  });
  return { stored, unreadable };
}

function storedVersionOf(doc: MgetDoc): StoredVersion | undefined {
  if (doc.found !== true || doc._seq_no === undefined || doc._primary_term === undefined) {
    return undefined;
  }
  const order = doc._source?.ddbSync?.order;
  return { order: isOrderKey(order) ? order : undefined, seqNo: doc._seq_no, primaryTerm: doc._primary_term };
}
