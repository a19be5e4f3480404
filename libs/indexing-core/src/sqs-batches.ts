/** SendMessageBatch and SNS PublishBatch take at most ten entries per call. */
export const MAX_BATCH_ENTRIES = 10;

/**
 * Splits entries, in order, into batch calls of at most {@link MAX_BATCH_ENTRIES} entries whose bodies
 * together stay within `maxBytes` (the service's limit holds for a whole call, not just one message).
 * An entry larger than `maxBytes` still gets a call of its own: the service refuses it, the caller reports it.
 *
 * @example
 * for (const chunk of sqsBatches(bodies, (body) => Buffer.byteLength(body), 256 * 1024)) await send(chunk);
 */
export function* sqsBatches<T>(entries: readonly T[], bytesOf: (entry: T) => number, maxBytes: number): Generator<T[]> {
  let chunk: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = bytesOf(entry);
    if (chunk.length === MAX_BATCH_ENTRIES || (chunk.length > 0 && bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
