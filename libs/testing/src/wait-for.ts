import { sleep } from '@ddb-os/node-io';
import { InvalidOptionError, WaitForTimeoutError } from './errors';
import type { WaitForOptions } from './types';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 100;

/**
 * Calls `fn` until it returns something other than `false` without throwing, and returns that value.
 * Throwing (e.g. a failed `expect`) or returning `false` means "not yet".
 * Throws {@link WaitForTimeoutError} (with the last error) when `timeoutMs` passes first.
 *
 * @example
 * const hit = await waitFor(async () => (await search(id)) ?? false, { timeoutMs: 5000 });
 * await waitFor(async () => expect(await count()).toBe(3));
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Exclude<T, false>> {
  const timeoutMs = validMs('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const intervalMs = validMs('intervalMs', options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    try {
      const value = await fn();
      if (value !== false) return value as Exclude<T, false>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() + intervalMs > deadline) {
      throw new WaitForTimeoutError(options.description ?? 'the condition', timeoutMs, attempts, lastError);
    }
    await sleep(intervalMs);
  }
}

function validMs(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new InvalidOptionError(option, value, 'a finite number of milliseconds >= 0');
  return value;
}
