/** An `error` object of a bulk item (OpenSearch `ErrorCause`). */
export interface BulkItemError {
  readonly type?: string;
  readonly reason?: string | null;
  readonly caused_by?: BulkItemError;
}

/** The result of one bulk action: the value under `create` / `index` / `update` / `delete` in `items[i]`. */
export interface BulkItemResult {
  readonly _id?: string;
  readonly status: number;
  readonly error?: BulkItemError;
  readonly result?: string;
  /** The version the action stored (index / create / update / delete that succeeded). */
  readonly _seq_no?: number;
  readonly _primary_term?: number;
}

/**
 * The `_seq_no` / `_primary_term` a successful bulk item reports, or undefined when it reports none.
 *
 * @example
 * storedBy({ create: { _id: 'a', status: 201, _seq_no: 7, _primary_term: 1 } }); // { seqNo: 7, primaryTerm: 1 }
 */
export function storedBy(item: BulkResponseItem): { readonly seqNo: number; readonly primaryTerm: number } | undefined {
  const result = item.create ?? item.index ?? item.update ?? item.delete;
  if (result === undefined || typeof result._seq_no !== 'number' || typeof result._primary_term !== 'number') {
    return undefined;
  }
  return { seqNo: result._seq_no, primaryTerm: result._primary_term };
}

/** One entry of a `_bulk` response's `items`, e.g. `{ create: { _id, status, error } }`. */
export type BulkResponseItem = Partial<Record<'create' | 'index' | 'update' | 'delete', BulkItemResult>>;

/**
 * What to do about one bulk item:
 * - `ok`: applied;
 * - `conflict`: 409, another writer changed the document since it was read: re-read and re-plan;
 * - `retryable`: back-pressure, server or cluster state (429, 5xx, missing index, …): retry later;
 * - `poison`: the document itself is bad (mapping, size): retrying cannot help, set it aside.
 */
export type BulkItemClass =
  | { readonly kind: 'ok' }
  | { readonly kind: 'conflict'; readonly reason: string }
  | { readonly kind: 'retryable'; readonly reason: string }
  | { readonly kind: 'poison'; readonly reason: string };

/**
 * 400 error types caused by the index's state, which an operator or time can fix. Every other 400
 * (`mapper_parsing_exception`, `strict_dynamic_mapping_exception`, `illegal_argument_exception`,
 * `document_parsing_exception`, …) is about the request itself: the same document fails the same way.
 */
const INDEX_STATE_ERROR_TYPES: ReadonlySet<string> = new Set(['index_closed_exception', 'cluster_block_exception']);

/**
 * Classifies one entry of a `_bulk` response's `items`.
 *
 * @example
 * classifyBulkItem({ index: { _id: 'a', status: 400, error: { type: 'mapper_parsing_exception', reason: '…' } } });
 * // { kind: 'poison', reason: '400 mapper_parsing_exception: …' }
 */
export function classifyBulkItem(item: BulkResponseItem): BulkItemClass {
  const result = item.create ?? item.index ?? item.update ?? item.delete;
  if (result === undefined) {
    return { kind: 'retryable', reason: `unrecognised bulk response item: ${JSON.stringify(item)}` };
  }
  return classifyStatus(result.status, result.error);
}

/** Classifies a status and error (a bulk item's, or a whole request's). */
export function classifyStatus(status: number, error?: BulkItemError): BulkItemClass {
  if (status >= 200 && status < 300) {
    return { kind: 'ok' };
  }
  const reason = `${status} ${describeError(error)}`;
  if (status === 409) {
    return { kind: 'conflict', reason };
  }
  if (status === 413) {
    return { kind: 'poison', reason };
  }
  if (status === 400) {
    return INDEX_STATE_ERROR_TYPES.has(error?.type ?? '') ? { kind: 'retryable', reason } : { kind: 'poison', reason };
  }
  return { kind: 'retryable', reason };
}

/** `type: reason (caused by type: reason)` of an OpenSearch error cause. */
export function describeError(error: BulkItemError | undefined): string {
  if (error === undefined) {
    return 'no error detail';
  }
  const own = [error.type, error.reason].filter((part) => part !== undefined && part !== null && part !== '').join(': ');
  const cause = error.caused_by === undefined ? '' : ` (caused by ${describeError(error.caused_by)})`;
  return `${own || 'unknown error'}${cause}`;
}
