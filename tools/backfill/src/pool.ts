/**
 * Runs `work` over `items` with at most `concurrency` at a time. The first failure aborts `controller` (the
 * other workers finish what they are doing and stop) and is rethrown once every worker has stopped.
 *
 * @example
 * await runConcurrently(segments, 4, (segment) => backfillSegment(segment, controller.signal), controller);
 */
export async function runConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  controller: AbortController,
): Promise<void> {
  const queue = [...items];
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined && !controller.signal.aborted; item = queue.shift()) {
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
        controller.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}

/** An AbortController that also aborts when `parent` does. */
export function childController(parent: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', () => controller.abort(), { once: true });
  return controller;
}
