import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds, or less when `signal` aborts first. Never rejects on abort (unlike
 * `node:timers/promises`): loops that sleep between attempts check their signal themselves.
 *
 * @example
 * await sleep(250, controller.signal);
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await delay(ms, undefined, signal ? { signal } : undefined).catch((error: unknown) => {
    if (!signal?.aborted) throw error;
  });
}

/** The type of {@link sleep}, for code that takes a replaceable one (fake time in tests). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
