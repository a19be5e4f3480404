import { assertOrderKey, isOrderKey, type OrderKey } from './order-key';

/** What a realtime `_mget` returned for an existing document. */
export interface StoredVersion {
  /** `ddbSync.order`; `undefined` when the document has none (not written by this scheme: always overwritten). */
  readonly order: OrderKey | undefined;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

/** The least a write needs for planning: its document id and order key. */
export interface PlannableWrite {
  readonly id: string;
  readonly order: OrderKey;
}

/**
 * The decision for one intended write:
 * - `skip`: the stored order is ≥ ours (stale, or this very change is already applied);
 * - `create`: no document yet (`create` fails with 409 if one appears meanwhile);
 * - `index-if`: overwrite exactly the version compared with (`if_seq_no` / `if_primary_term`).
 */
export type WritePlan<W extends PlannableWrite = PlannableWrite> =
  | { readonly kind: 'skip'; readonly write: W; readonly storedOrder: OrderKey }
  | { readonly kind: 'create'; readonly write: W }
  | { readonly kind: 'index-if'; readonly write: W; readonly ifSeqNo: number; readonly ifPrimaryTerm: number };

/**
 * Decides one write against the stored state of its document (`undefined`: no document).
 *
 * @example
 * planWrite({ order: storedKey, seqNo: 7, primaryTerm: 1 }, { id: 'a', order: newerKey });
 * // { kind: 'index-if', write, ifSeqNo: 7, ifPrimaryTerm: 1 }
 */
export function planWrite<W extends PlannableWrite>(stored: StoredVersion | undefined, intended: W): WritePlan<W> {
  assertOrderKey(intended.order, `order of the write to "${intended.id}"`);
  if (stored === undefined) {
    return { kind: 'create', write: intended };
  }
  if (isOrderKey(stored.order) && stored.order >= intended.order) {
    return { kind: 'skip', write: intended, storedOrder: stored.order };
  }
  return { kind: 'index-if', write: intended, ifSeqNo: stored.seqNo, ifPrimaryTerm: stored.primaryTerm };
}
