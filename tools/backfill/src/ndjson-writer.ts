import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';

/**
 * Appends JSON lines to a file, honouring stream back-pressure so memory stays bounded however many lines
 * are written. Opened lazily: no file is created when nothing is written.
 *
 * @example
 * const failures = new NdjsonWriter('.cache/backfill/orders.failures.ndjson', { append: true });
 * await failures.write({ reason: 'schema', item });
 * await failures.close();
 */
export class NdjsonWriter {
  private opening: Promise<WriteStream> | undefined;
  private lines = 0;

  constructor(
    readonly file: string,
    private readonly options: { readonly append: boolean },
  ) {}

  /** Lines written so far. */
  get written(): number {
    return this.lines;
  }

  /** Writes one value as a JSON line; resolves when the stream can take more. */
  async write(value: unknown): Promise<void> {
    const stream = await this.open();
    this.lines += 1;
    if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
  }

  /** Flushes and closes the file (if it was opened). */
  async close(): Promise<void> {
    if (this.opening === undefined) return;
    const stream = await this.opening;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }

  private open(): Promise<WriteStream> {
    this.opening ??= (async (): Promise<WriteStream> => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const stream = createWriteStream(this.file, { flags: this.options.append ? 'a' : 'w' });
      await once(stream, 'open');
      return stream;
    })();
    return this.opening;
  }
}
