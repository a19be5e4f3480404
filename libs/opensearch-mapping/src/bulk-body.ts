import { InvalidBulkLimitError } from './errors';
import type { PlannableWrite, WritePlan } from './write-plan';
import type { JsonObject } from './types';

/** A write ready for the bulk body: its target index (the write alias) and full document source. */
export interface BulkWrite extends PlannableWrite {
  /** The index or alias the action names (`_index`), normally `writeAlias(base)`. */
  readonly index: string;
  /** The complete document (`buildDocument` / `buildTombstone`). */
  readonly source: JsonObject;
}

/** One `_bulk` action: its write, its NDJSON text (header line, source line) and that text's size on the wire. */
export interface BulkAction<W extends BulkWrite = BulkWrite> {
  readonly write: W;
  /** Both NDJSON lines, each ending with a newline: serialised once, measured and sent as they are. */
  readonly ndjson: string;
  /** UTF-8 bytes of `ndjson`. */
  readonly bytes: number;
}

/** Result of `splitByBytes`. */
export interface BulkChunks<W extends BulkWrite = BulkWrite> {
  /** Request bodies, each within the limit, in input order. */
  readonly chunks: Array<Array<BulkAction<W>>>;
  /** Actions that alone exceed the limit: never sent (poison: the document is too large). */
  readonly tooLarge: Array<BulkAction<W>>;
}

/**
 * The bulk actions of a set of plans (`skip` plans produce none). Every action sets `require_alias`, so a
 * missing write alias fails the item instead of auto-creating a concrete index under the alias name.
 *
 * @example
 * const actions = buildBulkActions(writes.map((write) => planWrite(stored.get(write.id), write)));
 * await client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: bulkNdjson(actions) });
 */
export function buildBulkActions<W extends BulkWrite>(plans: ReadonlyArray<WritePlan<W>>): Array<BulkAction<W>> {
  const actions: Array<BulkAction<W>> = [];
  for (const plan of plans) {
    if (plan.kind === 'skip') {
      continue;
    }
    const ndjson = `${headerLine(plan)}\n${JSON.stringify(plan.write.source)}\n`;
    actions.push({ write: plan.write, ndjson, bytes: Buffer.byteLength(ndjson) });
  }
  return actions;
}

/** The action line, written as text: the same JSON as serialising the header object, without building it first. */
function headerLine(plan: Exclude<WritePlan<BulkWrite>, { kind: 'skip' }>): string {
  const target = `"_index":${JSON.stringify(plan.write.index)},"_id":${JSON.stringify(plan.write.id)},"require_alias":true`;
  if (plan.kind === 'create') return `{"create":{${target}}}`;
  return `{"index":{${target},"if_seq_no":${JSON.stringify(plan.ifSeqNo)},"if_primary_term":${JSON.stringify(plan.ifPrimaryTerm)}}}`;
}

/**
 * The NDJSON text of a `_bulk` request (each line ends with a newline), from each action's own text: the one way a
 * request body is made. Send it as the `bulkBody` of `client.transport.request`, which passes a string through
 * instead of serialising every line again.
 *
 * @example
 * await client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: bulkNdjson(actions) });
 */
export function bulkNdjson(actions: ReadonlyArray<BulkAction>): string {
  let text = '';
  for (const action of actions) {
    text += action.ndjson;
  }
  return text;
}

/**
 * Packs actions, in order, into request bodies of at most `maxBytes`. An action larger than `maxBytes`
 * on its own is not sent: it is returned in `tooLarge`.
 *
 * @example
 * const { chunks, tooLarge } = splitByBytes(actions, 5 * 1024 * 1024);
 */
export function splitByBytes<W extends BulkWrite>(actions: ReadonlyArray<BulkAction<W>>, maxBytes: number): BulkChunks<W> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new InvalidBulkLimitError(maxBytes);
  }
  const chunks: Array<Array<BulkAction<W>>> = [];
  const tooLarge: Array<BulkAction<W>> = [];
  let current: Array<BulkAction<W>> = [];
  let currentBytes = 0;
  for (const action of actions) {
    if (action.bytes > maxBytes) {
      tooLarge.push(action);
      continue;
    }
    if (currentBytes + action.bytes > maxBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(action);
    currentBytes += action.bytes;
  }
  if (current.length > 0) {
    chunks.push(current);
  }
  return { chunks, tooLarge };
}
