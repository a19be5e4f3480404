import { createdAtMs } from './sequence';
import type { InvocationOutcome, OnFailureCondition, StreamRecord } from './types';

export interface FailurePolicy {
  /** -1 = retry until the records expire. */
  readonly maxRetryAttempts: number;
  readonly bisectBatchOnError: boolean;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}

/** What to do with a (sub-)batch after an invocation that did not fully succeed. */
export type NextStep =
  | { readonly action: 'retry'; readonly delayMs: number; readonly retryNumber: number }
  | { readonly action: 'hold'; readonly delayMs: number; readonly holdNumber: number }
  | { readonly action: 'bisect' }
  | { readonly action: 'give-up'; readonly condition: OnFailureCondition };

/**
 * Lambda's rules after a failed invocation: a whole-batch failure of more than one record is split
 * in halves when bisecting is on (splitting consumes no retry); otherwise the batch is retried with
 * exponential backoff until `maxRetryAttempts` retries were made, then given up.
 * A handler that threw a configuration error cannot process any record: the batch is held (offered
 * again with backoff, never bisected nor given up), and held invocations use up no retries.
 * `holds` counts the held invocations of the batch so far.
 * @example decideAfterFailure({ kind: 'failure', reason: 'x', functionError: 'Unhandled' }, { size: 1, invokeCount: 4 }, { maxRetryAttempts: 3, bisectBatchOnError: false, retryBaseDelayMs: 100, retryMaxDelayMs: 1000 }) // { action: 'give-up', condition: 'RetryAttemptsExhausted' }
 */
export function decideAfterFailure(
  outcome: Exclude<InvocationOutcome, { kind: 'success' }>,
  batch: { readonly size: number; readonly invokeCount: number; readonly holds?: number },
  policy: FailurePolicy,
): NextStep {
  const holds = batch.holds ?? 0;
  if (outcome.kind === 'failure' && outcome.configurationError === true)
    return { action: 'hold', delayMs: retryDelayMs(holds, policy), holdNumber: holds + 1 };
  if (outcome.kind === 'failure' && policy.bisectBatchOnError && batch.size > 1) return { action: 'bisect' };
  const retriesMade = batch.invokeCount - 1 - holds;
  if (policy.maxRetryAttempts !== -1 && retriesMade >= policy.maxRetryAttempts) {
    return { action: 'give-up', condition: 'RetryAttemptsExhausted' };
  }
  return { action: 'retry', delayMs: retryDelayMs(retriesMade, policy), retryNumber: retriesMade + 1 };
}

/** Exponential backoff: base × 2^retriesMade, capped. */
export function retryDelayMs(retriesMade: number, policy: Pick<FailurePolicy, 'retryBaseDelayMs' | 'retryMaxDelayMs'>): number {
  return Math.min(policy.retryMaxDelayMs, policy.retryBaseDelayMs * 2 ** Math.min(retriesMade, 30));
}

/** Splits a batch in two halves (the first one gets the extra record). */
export function bisect<T>(records: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(records.length / 2);
  return [records.slice(0, middle), records.slice(middle)];
}

/**
 * The leading records older than `maxRecordAgeSeconds` (-1: none). Records of a shard are in
 * creation order, so the expired ones form a prefix.
 * @example expiredPrefixLength(records, Date.now(), 60) // 0 when every record is younger than a minute
 */
export function expiredPrefixLength(records: readonly StreamRecord[], nowMs: number, maxRecordAgeSeconds: number): number {
  if (maxRecordAgeSeconds === -1) return 0;
  const oldestAllowedMs = nowMs - maxRecordAgeSeconds * 1000;
  let count = 0;
  for (const record of records) {
    const created = createdAtMs(record);
    if (created === undefined || created >= oldestAllowedMs) break;
    count += 1;
  }
  return count;
}
