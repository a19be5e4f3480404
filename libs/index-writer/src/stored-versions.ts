import type { Client } from '@opensearch-project/opensearch';
import { describeError, isOrderKey, type BulkItemError, type BulkWrite, type StoredVersion } from '@ddb-os/opensearch-mapping';

/** What a realtime `_mget` says about one write's document: its stored version (`undefined`: no document), or why it could not be read. */
export type StoredRead = { readonly stored: StoredVersion | undefined } | { readonly unreadable: string };

interface MgetDoc {
  readonly _id?: string;
  readonly found?: boolean;
  readonly _seq_no?: number;
  readonly _primary_term?: number;
  readonly _source?: { readonly ddbSync?: { readonly order?: unknown } };
  readonly error?: BulkItemError;
}

/**
 * Reads `ddbSync.order`, `_seq_no` and `_primary_term` of every write's document in one realtime `_mget`, whatever
 * index each is in (realtime: sees writes not yet refreshed); the reads come back in the order of `writes`.
 * Throws what the client throws for a failed request.
 */
export async function readStoredVersions(
  client: Client,
  writes: readonly BulkWrite[],
  requestOptions: { requestTimeout?: number },
): Promise<StoredRead[]> {
  const response = await client.mget(
    {
      body: { docs: writes.map((write) => ({ _index: write.index, _id: write.id })) },
      _source_includes: ['ddbSync.order'],
      realtime: true,
    },
    requestOptions,
  );
  const docs = response.body.docs as readonly MgetDoc[];
  return writes.map((write, position) => readOf(write, docs[position], position));
}

function readOf(write: BulkWrite, doc: MgetDoc | undefined, position: number): StoredRead {
  if (doc === undefined || doc._id !== write.id) return { unreadable: `_mget returned no entry for "${write.id}" at position ${position}` };
  if (doc.error !== undefined) return { unreadable: `_mget failed: ${describeError(doc.error)}` };
  if (doc.found === true && (doc._seq_no === undefined || doc._primary_term === undefined)) {
    return { unreadable: `_mget returned "${write.id}" without _seq_no/_primary_term` };
  }
  return { stored: storedVersionOf(doc) };
}

function storedVersionOf(doc: MgetDoc): StoredVersion | undefined {
  if (doc.found !== true || doc._seq_no === undefined || doc._primary_term === undefined) {
    return undefined;
  }
  const order = doc._source?.ddbSync?.order;
  return { order: isOrderKey(order) ? order : undefined, seqNo: doc._seq_no, primaryTerm: doc._primary_term };
}

/** Documents whose versions a process remembers, per client and index. */
export const KNOWN_VERSIONS_CAPACITY = 20_000;

/**
 * The versions (`ddbSync.order`, `_seq_no`, `_primary_term`) this process last saw for documents: from its own
 * acknowledged `_bulk` items and from `_mget` reads. A stream container sees the same shard's documents batch after
 * batch, so the next batch can often write them with `if_seq_no` straight away. It is a guess, never a source of
 * truth: a write planned from it is still a compare-and-set, and a 409 sends it back to be read.
 * Bounded per index: the entry remembered longest ago goes first.
 *
 * @example
 * const known = knownVersionsOf(client);
 * known.remember('products-write', 'p1', { order, seqNo: 4, primaryTerm: 1 });
 * known.recall('products-write', 'p1'); // { order, seqNo: 4, primaryTerm: 1 }
 */
export class KnownVersions {
  // Keyed by index, then by id: ids are looked up as they are, with no composite key string built per lookup.
  private readonly byIndex = new Map<string, Map<string, StoredVersion>>();

  constructor(private readonly capacity: number = KNOWN_VERSIONS_CAPACITY) {}

  recall(index: string, id: string): StoredVersion | undefined {
    return this.byIndex.get(index)?.get(id);
  }

  remember(index: string, id: string, version: StoredVersion): void {
    let entries = this.byIndex.get(index);
    if (entries === undefined) {
      entries = new Map();
      this.byIndex.set(index, entries);
    }
    entries.delete(id);
    entries.set(id, version);
    if (entries.size > this.capacity) {
      entries.delete(entries.keys().next().value as string);
    }
  }

  forget(index: string, id: string): void {
    this.byIndex.get(index)?.delete(id);
  }

  /** Entries over all indexes. */
  get size(): number {
    let size = 0;
    for (const entries of this.byIndex.values()) size += entries.size;
    return size;
  }
}

const knownVersionsByClient = new WeakMap<Client, KnownVersions>();

/** The `KnownVersions` of a client (one per client, created on first use). */
export function knownVersionsOf(client: Client): KnownVersions {
  let known = knownVersionsByClient.get(client);
  if (known === undefined) {
    known = new KnownVersions();
    knownVersionsByClient.set(client, known);
  }
  return known;
}
