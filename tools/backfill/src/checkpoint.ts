import { readFile } from 'node:fs/promises';
import { parseJsonText, writeAtomically, zodIssuesText } from '@ddb-os/node-io';
import type { JsonValue } from '@ddb-os/stream-decoding';
import { z } from 'zod';
import { CHECKPOINT_FORMAT_VERSION, CHECKPOINT_KIND } from './constants';
import { CheckpointExistsError, CheckpointMismatchError, CheckpointNotFoundError, CorruptCheckpointError } from './errors';
import type { ItemCounts, SegmentPosition } from './types';

/** How a run treats an existing checkpoint file. */
export type CheckpointMode = 'fresh' | 'resume' | 'restart';

/** The saved state of one segment. */
export interface SegmentCheckpoint {
  /** Where the next page starts (`null`: nothing read yet). */
  readonly position: SegmentPosition | null;
  readonly done: boolean;
  readonly pages: number;
  readonly counts: ItemCounts;
}

/** What one committed page adds to its segment's checkpoint. */
export interface PageCommit {
  /** Where the segment continues; `null` when the page was the segment's last. */
  readonly next: SegmentPosition | null;
  readonly counts: ItemCounts;
}

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
const count = z.int().nonnegative();
const countsSchema = z.object({ read: count, indexed: count, stale: count, unrouted: count, failed: count });
const fileSchema = z.object({
  kind: z.literal(CHECKPOINT_KIND),
  version: z.literal(CHECKPOINT_FORMAT_VERSION),
  source: z.string().min(1),
  segmentIds: z.array(z.string()).min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  runs: z.int().positive(),
  segments: z.record(z.string(), z.object({ position: jsonValue, done: z.boolean(), pages: count, counts: countsSchema })),
});
type CheckpointFile = z.infer<typeof fileSchema>;

/** Options of `CheckpointStore.open`. */
export interface OpenCheckpointOptions {
  readonly file: string;
  /** Identity of the source (`table:<name>`, `export:s3://…`): a resumed run must read the same one. */
  readonly source: string;
  /** Every segment of the source, in order. */
  readonly segmentIds: readonly string[];
  readonly mode: CheckpointMode;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Zero counts. */
export function emptyCounts(): ItemCounts {
  return { read: 0, indexed: 0, stale: 0, unrouted: 0, failed: 0 };
}

/** Adds `more` into `into` (mutates and returns `into`). */
export function addCounts(into: ItemCounts, more: ItemCounts): ItemCounts {
  into.read += more.read;
  into.indexed += more.indexed;
  into.stale += more.stale;
  into.unrouted += more.unrouted;
  into.failed += more.failed;
  return into;
}

/**
 * Per-segment progress of a backfill in a local JSON file, so an interrupted run continues where each segment
 * stopped. Every commit rewrites the file atomically (write to a temporary file, fsync, rename), one write at a
 * time. A segment's position only moves in `commit`, which the caller calls after the page's writes are applied:
 * a crash can repeat a page (harmless: the writes are idempotent) but never skip one.
 *
 * @example
 * const store = await CheckpointStore.open({ file: '.cache/backfill/orders.json', source: 'table:orders', segmentIds: ['0', '1'], mode: 'fresh' });
 * await store.commit('0', { next: lastEvaluatedKey, counts });
 */
export class CheckpointStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    /** Path of the checkpoint file. */
    readonly file: string,
    private readonly state: CheckpointFile,
    private readonly now: () => Date,
    /** Whether the store continues an earlier run. */
    readonly resumed: boolean,
  ) {}

  /**
   * Opens the checkpoint of a run: `fresh` refuses to overwrite an existing file, `resume` requires one that
   * matches `source` and `segmentIds`, `restart` starts over. The file exists when this resolves.
   */
  static async open(options: OpenCheckpointOptions): Promise<CheckpointStore> {
    const now = options.now ?? ((): Date => new Date());
    const existing = await readCheckpoint(options.file);
    if (options.mode === 'resume') {
      if (existing === undefined) throw new CheckpointNotFoundError(options.file);
      assertSameRun(options, existing);
      const store = new CheckpointStore(options.file, { ...existing, runs: existing.runs + 1 }, now, true);
      await store.flush();
      return store;
    }
    if (existing !== undefined && options.mode === 'fresh') throw new CheckpointExistsError(options.file);
    const createdAt = now().toISOString();
    const state: CheckpointFile = {
      kind: CHECKPOINT_KIND,
      version: CHECKPOINT_FORMAT_VERSION,
      source: options.source,
      segmentIds: [...options.segmentIds],
      createdAt,
      updatedAt: createdAt,
      runs: 1,
      segments: {},
    };
    const store = new CheckpointStore(options.file, state, now, false);
    await store.flush();
    return store;
  }

  /** The saved state of a segment, or `undefined` before its first committed page. */
  segment(id: string): SegmentCheckpoint | undefined {
    return this.state.segments[id];
  }

  /** Ids of the segments not finished yet, in source order. */
  pendingSegments(): string[] {
    return this.state.segmentIds.filter((id) => this.state.segments[id]?.done !== true);
  }

  /** Totals over every segment (earlier runs included). */
  totals(): ItemCounts & { pages: number; segmentsDone: number } {
    const totals = { ...emptyCounts(), pages: 0, segmentsDone: 0 };
    for (const segment of Object.values(this.state.segments)) {
      addCounts(totals, segment.counts);
      totals.pages += segment.pages;
      if (segment.done) totals.segmentsDone += 1;
    }
    return totals;
  }

  /** Records a page whose writes are applied, then saves the file; resolves once the file is on disk. */
  async commit(segmentId: string, page: PageCommit): Promise<void> {
    if (!this.state.segmentIds.includes(segmentId)) throw new CorruptCheckpointError(this.file, `unknown segment "${segmentId}"`);
    const previous = this.state.segments[segmentId];
    this.state.segments[segmentId] = {
      position: page.next,
      done: page.next === null,
      pages: (previous?.pages ?? 0) + 1,
      counts: addCounts({ ...(previous?.counts ?? emptyCounts()) }, page.counts),
    };
    await this.flush();
  }

  /** Waits for pending writes. */
  async close(): Promise<void> {
    await this.writing;
  }

  private flush(): Promise<void> {
    this.state.updatedAt = this.now().toISOString();
    const text = `${JSON.stringify(this.state, null, 2)}\n`;
    const write = this.writing.then(() => writeAtomically(this.file, text));
    // The next write waits for this one, whatever its outcome; the caller sees the failure.
    this.writing = write.catch(() => undefined);
    return write;
  }
}

async function readCheckpoint(file: string): Promise<CheckpointFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const json = parseJsonText(text);
  if (!json.ok) throw new CorruptCheckpointError(file, json.reason);
  const result = fileSchema.safeParse(json.value);
  if (!result.success) throw new CorruptCheckpointError(file, zodIssuesText(result.error, '(file)'));
  return result.data;
}

function assertSameRun(options: OpenCheckpointOptions, existing: CheckpointFile): void {
  if (existing.source !== options.source) throw new CheckpointMismatchError(options.file, 'source', existing.source, options.source);
  const stored = existing.segmentIds.join(',');
  const requested = options.segmentIds.join(',');
  if (stored !== requested) {
    throw new CheckpointMismatchError(
      options.file,
      'segments',
      describeSegments(existing.segmentIds),
      describeSegments(options.segmentIds),
    );
  }
}

function describeSegments(ids: readonly string[]): string {
  return ids.length > 3 ? `${ids.length} segments (${ids.slice(0, 3).join(', ')}, …)` : `${ids.length} segment(s) (${ids.join(', ')})`;
}
