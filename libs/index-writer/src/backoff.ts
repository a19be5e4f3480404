import type { RetryPolicy } from './types';

/**
 * Full-jitter exponential backoff: a random delay in [0, min(maxDelayMs, baseDelayMs · 2^(attempt − 1))].
 * `attempt` counts retries from 1.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
