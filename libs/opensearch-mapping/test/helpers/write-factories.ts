import type { BulkWrite } from '../../src/bulk-body';
import type { OrderedChange } from '../../src/order-key';
import { snapshotOrderKey, streamOrderKey } from '../../src/order-key';
import type { JsonObject } from '../../src/types';
import type { StoredVersion } from '../../src/write-plan';

/** A stream change (MODIFY of item `pk = a` by default). */
export function aChange(overrides: Partial<OrderedChange> = {}): OrderedChange {
  return {
    eventName: 'MODIFY',
    sequenceNumber: '111111111111111111111',
    approximateCreationSeconds: 1_700_000_000,
    newImage: { pk: 'a', name: 'new' },
    oldImage: { pk: 'a', name: 'old' },
    ...overrides,
  };
}

/** The time-mode stream key of a change in `second` with sequence number `sequence`. */
export function streamKeyAt(second: number, sequence: bigint | string): string {
  return streamOrderKey(aChange({ approximateCreationSeconds: second, sequenceNumber: String(sequence) }));
}

/** The time-mode key of a table read at `readAtMs` (safety 2 s unless given). */
export function snapshotKeyAt(readAtMs: number, safetySeconds = 2): string {
  return snapshotOrderKey(readAtMs, { pk: 'a' }, { safetySeconds });
}

/** A write ready for the bulk body. */
export function aBulkWrite(overrides: Partial<BulkWrite> = {}): BulkWrite {
  return {
    id: 'doc-a',
    order: streamKeyAt(1_700_000_000, 42n),
    index: 'products-write',
    source: { pk: 'a', name: 'Lamp' },
    ...overrides,
  };
}

/** What `_mget` returns for an existing document. */
export function aStoredVersion(overrides: Partial<StoredVersion> = {}): StoredVersion {
  return { order: streamKeyAt(1_700_000_000, 1n), seqNo: 7, primaryTerm: 1, ...overrides };
}

/** An item with `size` characters of text. */
export function anItemOfSize(size: number): JsonObject {
  return { pk: 'a', text: 'x'.repeat(size) };
}
