import { sleep } from '@ddb-os/node-io';
import { errorMessage } from './async-utils';
import { LIMITS } from './constants';
import { classifyStreamsError } from './streams-errors';
import type { EmitFn, RunnerConfig, RunnerLogger, ShardIteratorRequest, StreamRecord, StreamsApi } from './types';

/** What a {@link ShardReader} needs from its worker. */
export interface ShardReaderDeps {
  readonly streamArn: string;
  readonly shardId: string;
  /** Where the shard is first read from. */
  readonly start: ShardIteratorRequest;
  readonly config: RunnerConfig;
  readonly streams: StreamsApi;
  readonly logger: RunnerLogger;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly emit: EmitFn;
  /** Notes the error and waits before the next attempt (the worker shows it in its status). */
  readonly backOff: (what: string, error: unknown, failures: number) => Promise<void>;
}

const lastOf = <T>(items: readonly T[]): T => items[items.length - 1] as T;

/**
 * How many records the next GetRecords asks for: as many as GetRecords gives (1,000), rounded down to whole
 * batches so that a backlog is delivered in full batches (batch size 300: 900), and no more than the batch still
 * needs when one batch is more than 1,000 records.
 *
 * @example
 * readAheadLimit(100, 0); // 1000
 * readAheadLimit(300, 100); // 800
 * readAheadLimit(2500, 2000); // 500
 */
export function readAheadLimit(batchSize: number, pending: number): number {
  const wholeBatches = batchSize <= LIMITS.maxGetRecordsLimit ? Math.floor(LIMITS.maxGetRecordsLimit / batchSize) * batchSize : batchSize;
  return Math.max(1, Math.min(LIMITS.maxGetRecordsLimit, wholeBatches - pending));
}

/**
 * The reading side of a shard worker: its shard iterator (renewed when it expires), the records read ahead of
 * delivery (up to the 1,000 a GetRecords gives), and the polling pace (at most one GetRecords per poll interval,
 * none at all while the last read came back full, idle shards polled less and less often).
 * Trimmed data and vanished shards are reported as gaps, never skipped silently.
 */
export class ShardReader {
  private iterator: string | undefined;
  private shardClosed = false;
  private readonly buffer: StreamRecord[] = [];
  /** Last sequence number read into the buffer (or checkpointed): where a new iterator resumes. */
  private readPosition: string | undefined;
  /** First sequence number ever read: where a restart resumes while nothing is checkpointed yet. */
  private firstRead: string | undefined;
  private lastPollAtMs = 0;
  private idleDelayMs: number;
  private lastPollWasEmpty = false;
  /** The last GetRecords returned all it was asked for: the shard has a backlog, so the next read does not wait. */
  private lastReadWasFull = false;

  constructor(private readonly deps: ShardReaderDeps) {
    this.idleDelayMs = deps.config.pollIntervalMs;
    this.readPosition = 'sequenceNumber' in deps.start ? deps.start.sequenceNumber : undefined;
  }

  /** True once the shard has no more records to give (closed and read to its end, or gone). */
  get closed(): boolean {
    return this.shardClosed;
  }

  /** Records read and not yet taken. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Whether the last GetRecords returned nothing (the shard is idle, or caught up). */
  get lastPollEmpty(): boolean {
    return this.lastPollWasEmpty;
  }

  /** Opens an iterator at `position` (TRIM_HORIZON when the data there was trimmed). */
  async open(position: ShardIteratorRequest): Promise<void> {
    let failures = 0;
    let current = position;
    while (!this.stopping) {
      try {
        this.iterator = await this.deps.streams.getShardIterator({
          streamArn: this.deps.streamArn,
          shardId: this.deps.shardId,
          position: current,
        });
        if (this.iterator === undefined) this.shardClosed = true;
        return;
      } catch (error) {
        const kind = classifyStreamsError(error);
        if (kind === 'trimmed' && 'sequenceNumber' in current) {
          this.reportGap(
            current.sequenceNumber,
            `records after ${current.sequenceNumber} were trimmed (older than the stream retention): resuming at TRIM_HORIZON`,
          );
          current = { type: 'TRIM_HORIZON' };
          continue;
        }
        if (kind === 'not-found') {
          this.reportGap(this.readPosition, `the shard no longer exists (${errorMessage(error)})`);
          this.shardClosed = true;
          return;
        }
        failures += 1;
        await this.deps.backOff('GetShardIterator failed', error, failures);
      }
    }
  }

  /**
   * Reads until `batchSize` records are pending, the batching window elapsed, or the shard closed. Each read asks
   * for up to {@link readAheadLimit} records, so more than a batch may stay pending for the next ones.
   */
  async fill(batchSize: number, onPoll: () => void): Promise<void> {
    const { batchingWindowMs } = this.deps.config;
    let windowEndsAtMs = this.buffer.length > 0 ? this.deps.now() + batchingWindowMs : undefined;
    while (!this.stopping && !this.shardClosed && this.buffer.length < batchSize) {
      if (windowEndsAtMs !== undefined && this.deps.now() >= windowEndsAtMs) break;
      onPoll();
      const records = await this.poll(readAheadLimit(batchSize, this.buffer.length), windowEndsAtMs);
      if (records.length === 0) continue;
      this.buffer.push(...records);
      this.firstRead ??= records[0]?.dynamodb?.SequenceNumber;
      // A record without a sequence number is reported when its batch is taken, after the records before it.
      this.readPosition = lastOf(records).dynamodb?.SequenceNumber ?? this.readPosition;
      windowEndsAtMs ??= this.deps.now() + batchingWindowMs;
    }
  }

  /** The first `count` pending records, left pending. */
  peek(count: number): StreamRecord[] {
    return this.buffer.slice(0, count);
  }

  /** Removes and returns the first `count` pending records. */
  take(count: number): StreamRecord[] {
    return this.buffer.splice(0, count);
  }

  /**
   * Forgets what was read past `checkpointed`; returns where to read again: after the checkpoint, or, when nothing
   * is checkpointed yet, at the first record read (LATEST would now skip it).
   */
  reset(checkpointed: string | undefined): ShardIteratorRequest {
    this.buffer.length = 0;
    this.iterator = undefined;
    this.shardClosed = false;
    this.lastReadWasFull = false;
    this.readPosition = checkpointed;
    if (checkpointed !== undefined) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpointed };
    return this.firstRead === undefined ? this.deps.start : { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: this.firstRead };
  }

  private get stopping(): boolean {
    return this.deps.signal.aborted;
  }

  private async poll(limit: number, windowEndsAtMs: number | undefined): Promise<StreamRecord[]> {
    await this.pace(windowEndsAtMs);
    if (this.stopping || this.iterator === undefined) return [];
    this.lastPollAtMs = this.deps.now();
    try {
      const { records, nextShardIterator } = await this.deps.streams.getRecords({ shardIterator: this.iterator, limit });
      this.iterator = nextShardIterator;
      if (nextShardIterator === undefined) this.shardClosed = true;
      this.noteEmptiness(records.length === 0);
      this.lastReadWasFull = records.length >= limit;
      return records;
    } catch (error) {
      this.lastReadWasFull = false;
      await this.recoverFromReadError(error);
      return [];
    }
  }

  private async pace(windowEndsAtMs: number | undefined): Promise<void> {
    // Like Lambda's poller, read again at once while the shard has a backlog.
    if (this.lastReadWasFull) return;
    const interval = this.lastPollWasEmpty ? this.idleDelayMs : this.deps.config.pollIntervalMs;
    let waitMs = this.lastPollAtMs + interval - this.deps.now();
    if (windowEndsAtMs !== undefined)
      waitMs = Math.min(waitMs, Math.max(this.deps.config.pollIntervalMs, windowEndsAtMs - this.deps.now()));
    await sleep(waitMs, this.deps.signal);
  }

  private noteEmptiness(empty: boolean): void {
    const { pollIntervalMs, idlePollMaxMs } = this.deps.config;
    this.idleDelayMs = empty ? Math.min(idlePollMaxMs, this.lastPollWasEmpty ? this.idleDelayMs * 2 : pollIntervalMs) : pollIntervalMs;
    this.lastPollWasEmpty = empty;
  }

  private async recoverFromReadError(error: unknown): Promise<void> {
    const kind = classifyStreamsError(error);
    if (kind === 'expired-iterator') {
      this.deps.logger.log('info', 'shard iterator expired: opening a new one', {
        shardId: this.deps.shardId,
        afterSequenceNumber: this.readPosition,
      });
      await this.open(this.resumePosition());
    } else if (kind === 'trimmed') {
      this.reportGap(this.readPosition, 'GetRecords hit trimmed data: resuming at TRIM_HORIZON');
      await this.open({ type: 'TRIM_HORIZON' });
    } else if (kind === 'not-found') {
      this.reportGap(this.readPosition, `the shard no longer exists (${errorMessage(error)})`);
      this.shardClosed = true;
      this.iterator = undefined;
    } else {
      await this.deps.backOff('GetRecords failed', error, 1);
    }
  }

  private resumePosition(): ShardIteratorRequest {
    return this.readPosition === undefined ? this.deps.start : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.readPosition };
  }

  private reportGap(afterSequenceNumber: string | undefined, reason: string): void {
    this.deps.logger.log('warn', 'records lost: gap in the shard', { shardId: this.deps.shardId, afterSequenceNumber, reason });
    this.deps.emit('gap', { streamArn: this.deps.streamArn, shardId: this.deps.shardId, afterSequenceNumber, reason });
  }
}
