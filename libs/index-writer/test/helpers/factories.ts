import { streamOrderKey, type JsonObject } from '@ddb-os/opensearch-mapping';
import type { ApplyWritesOptions, IntendedWrite } from '../../src/types';

/** The time-mode stream order key of a change in `second` with sequence number `sequence`. */
export function orderAt(second: number, sequence: number | bigint): string {
  return streamOrderKey({
    eventName: 'MODIFY',
    sequenceNumber: String(sequence),
    approximateCreationSeconds: second,
    newImage: undefined,
    oldImage: undefined,
  });
}

/** A put of product `id` (document id = `id`), order key (second 1_700_000_000, sequence 1) unless given. */
export function aPut(id: string, overrides: Partial<IntendedWrite> & { readonly fields?: JsonObject } = {}): IntendedWrite {
  const { fields, ...rest } = overrides;
  const keys = { pk: `PRODUCT#${id}`, sk: 'PRODUCT' };
  return {
    index: 'products',
    id,
    order: orderAt(1_700_000_000, 1),
    document: { ...keys, name: `Product ${id}`, ...fields },
    keys,
    meta: { source: 'stream', eventName: 'MODIFY' },
    ...rest,
  };
}

/** A delete (tombstone) of product `id`. */
export function aDelete(id: string, overrides: Partial<IntendedWrite> = {}): IntendedWrite {
  return { ...aPut(id), document: undefined, meta: { source: 'stream', eventName: 'REMOVE' }, ...overrides };
}

/** applyWrites options with instant retries (no real sleeping) unless overridden. */
export function fastOptions(overrides: Partial<ApplyWritesOptions> = {}): ApplyWritesOptions {
  return {
    maxBulkBytes: 1024 * 1024,
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 },
    sleep: async () => undefined,
    ...overrides,
  };
}
