import type { WriteCounters, WriteOutcome, WriteTarget } from './types';

/** The key of a document among the writes of one call: two indexes may hold the same id. */
export function writeKey(target: WriteTarget): string {
  return `${target.index}\u0000${target.id}`;
}

/**
 * The outcome of every intended write of one `applyWrites` call, by (base index, document id), with the counters
 * of the call. Iterates in the order outcomes were settled.
 *
 * @example
 * const outcome = outcomes.of({ index: 'products', id: 'p1' }); // { status: 'applied' }
 */
export class WriteOutcomes implements Iterable<[WriteTarget, WriteOutcome]> {
  private readonly byKey = new Map<string, [WriteTarget, WriteOutcome]>();

  constructor(public readonly counters: WriteCounters) {}

  of(target: WriteTarget): WriteOutcome | undefined {
    return this.byKey.get(writeKey(target))?.[1];
  }

  set(target: WriteTarget, outcome: WriteOutcome): this {
    this.byKey.set(writeKey(target), [{ index: target.index, id: target.id }, outcome]);
    return this;
  }

  /** The outcomes alone, in the order they were settled. */
  *values(): IterableIterator<WriteOutcome> {
    for (const [, outcome] of this.byKey.values()) yield outcome;
  }

  get size(): number {
    return this.byKey.size;
  }

  [Symbol.iterator](): IterableIterator<[WriteTarget, WriteOutcome]> {
    return this.byKey.values();
  }
}

const MISSING_INDEX = /\bindex_not_found_exception\b/;

/** Whether a failure reason says the write alias is missing (the index was never created, or deleted since). */
export function isMissingIndexReason(reason: string): boolean {
  return MISSING_INDEX.test(reason);
}

/** Whether a write was not written because its write alias is missing. */
export function isMissingIndex(outcome: WriteOutcome | undefined): boolean {
  return outcome?.status === 'retryable' && isMissingIndexReason(outcome.reason);
}
