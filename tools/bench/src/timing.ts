/**
 * Waits `ms` milliseconds (nothing for 0 or less).
 *
 * @example
 * await sleep(250);
 */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
