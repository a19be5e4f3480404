import { readFile } from 'node:fs/promises';
import { parseJsonText, writeAtomically, zodIssuesText } from '@ddb-os/node-io';
import path from 'node:path';
import { z } from 'zod';
import { CheckpointFileError } from './errors';
import { compareSequenceNumbers, sequenceNumberSchema } from '@ddb-os/stream-decoding';

const shardCheckpointSchema = z.object({
  sequenceNumber: sequenceNumberSchema.optional(),
  finished: z.boolean().optional(),
  updatedAt: z.string(),
});

const checkpointFileSchema = z.object({
  version: z.literal(1),
  streams: z.record(z.string(), z.object({ shards: z.record(z.string(), shardCheckpointSchema) })),
});

export type ShardCheckpoint = z.infer<typeof shardCheckpointSchema>;
type CheckpointFile = z.infer<typeof checkpointFileSchema>;

/**
 * Checkpoints keyed by stream ARN and shard id, persisted as one JSON file. Every change is written
 * to a temporary file, flushed and renamed over the old one, so a crash leaves the old or the new
 * file, never a torn one. A sequence number never moves backwards.
 * @example const store = await CheckpointStore.open('.cache/stream-runner/orders.json');
 */
export class CheckpointStore {
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    public readonly filePath: string,
    private readonly data: CheckpointFile,
  ) {}

  /** Reads the file (a missing file is an empty store); throws CheckpointFileError when it is not a checkpoint file. */
  static async open(filePath: string): Promise<CheckpointStore> {
    const absolute = path.resolve(filePath);
    const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new CheckpointFileError(absolute, error.message, { cause: error });
    });
    if (text === undefined) return new CheckpointStore(absolute, { version: 1, streams: {} });
    return new CheckpointStore(absolute, parseCheckpointFile(absolute, text));
  }

  /** Whether anything was ever recorded for this stream. */
  hasStream(streamArn: string): boolean {
    return this.data.streams[streamArn] !== undefined;
  }

  get(streamArn: string, shardId: string): ShardCheckpoint | undefined {
    return this.data.streams[streamArn]?.shards[shardId];
  }

  /** Records that the shard was processed up to and including `sequenceNumber`. */
  async checkpoint(streamArn: string, shardId: string, sequenceNumber: string): Promise<void> {
    const current = this.get(streamArn, shardId)?.sequenceNumber;
    if (current !== undefined && compareSequenceNumbers(sequenceNumber, current) <= 0) return;
    await this.update(streamArn, shardId, { sequenceNumber });
  }

  /** Records that every record of the (closed) shard was processed. */
  async markFinished(streamArn: string, shardId: string): Promise<void> {
    await this.update(streamArn, shardId, { finished: true });
  }

  /** Waits for pending writes; later changes are ignored (the runner stopped). */
  async close(): Promise<void> {
    this.closed = true;
    await this.writes.catch(() => undefined);
  }

  private async update(streamArn: string, shardId: string, change: Omit<ShardCheckpoint, 'updatedAt'>): Promise<void> {
    if (this.closed) return;
    const stream = (this.data.streams[streamArn] ??= { shards: {} });
    stream.shards[shardId] = { ...stream.shards[shardId], ...change, updatedAt: new Date().toISOString() };
    await this.persist();
  }

  private persist(): Promise<void> {
    const snapshot = `${JSON.stringify(this.data, null, 2)}\n`;
    const write = this.writes.catch(() => undefined).then(() => writeAtomically(this.filePath, snapshot));
    this.writes = write;
    return write;
  }
}

function parseCheckpointFile(filePath: string, text: string): CheckpointFile {
  const json = parseJsonText(text);
  if (!json.ok) throw new CheckpointFileError(filePath, json.reason);
  const parsed = checkpointFileSchema.safeParse(json.value);
  if (!parsed.success) throw new CheckpointFileError(filePath, zodIssuesText(parsed.error, '(file)'));
  return parsed.data;
}
