import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms` milliseconds; resolves early (without throwing) when `signal` aborts: callers check the signal. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await delay(ms, undefined, signal ? { signal } : undefined).catch((error: unknown) => {
    if (!signal?.aborted) throw error;
  });
}

/** Sleep function type, replaceable in tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
