import { randomUUID } from 'node:crypto';
import { toLambdaRecord } from '@ddb-os/stream-decoding';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { sleep } from '@ddb-os/node-io';
import { errorMessage } from './async-utils';
import type { CheckpointStore } from './checkpoint-store';
import { THROUGHPUT_WINDOW_MS } from './constants';
import { bisect, decideAfterFailure, expiredPrefixLength, retryDelayMs } from './failure-policy';
import { createLambdaContext, invokeHandler } from './lambda-context';
import { buildOnFailureRecord } from './on-failure-record';
import { RateMeter } from './rate-meter';
import { createdAtMs, sequenceNumberOf } from './sequence';
import { functionArnFor } from './stream-arn';
import { UnconvertibleRecordError } from './errors';
import { ShardReader } from './shard-reader';
import type {
  EmitFn,
  InvocationOutcome,
  OnFailureCondition,
  OnFailureDestination,
  RunnerConfig,
  RunnerLogger,
  ShardDescription,
  ShardIteratorRequest,
  ShardState,
  ShardStatus,
  StreamHandler,
  StreamRecord,
  StreamsApi,
} from './types';

export interface ShardWorkerDeps {
  readonly streamArn: string;
  readonly region: string;
  readonly shard: ShardDescription;
  readonly start: ShardIteratorRequest;
  readonly config: RunnerConfig;
  readonly handler: StreamHandler;
  readonly streams: StreamsApi;
  readonly checkpoints: CheckpointStore;
  readonly onFailure: OnFailureDestination | undefined;
  readonly logger: RunnerLogger;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly emit: EmitFn;
}

/** A (sub-)batch being delivered, with what Lambda would remember of its invocations. */
interface PendingBatch {
  records: StreamRecord[];
  invokeCount: number;
  /** Invocations that failed with a configuration error (they use up no retries). */
  holds: number;
  /** The last invocation failed with a configuration error: nothing of the batch may be given up. */
  held: boolean;
  lastRequestId: string | undefined;
  lastFunctionError: string | undefined;
}

const freshBatch = (records: StreamRecord[]): PendingBatch => ({
  records,
  invokeCount: 0,
  holds: 0,
  held: false,
  lastRequestId: undefined,
  lastFunctionError: undefined,
});
const lastOf = <T>(items: readonly T[]): T => items[items.length - 1] as T;

/**
 * Reads one shard and delivers its records to the handler in order, one batch at a time, like one
 * shard poller of a Lambda event source mapping (ParallelizationFactor 1).
 */
export class ShardWorker {
  private readonly reader: ShardReader;
  private inFlight = 0;
  private lastDurationMs = 0;
  /** Last sequence number whose checkpoint is on disk. */
  private checkpointed: string | undefined;
  private state: ShardState = 'starting';
  private readonly meter: RateMeter;
  /** Lambda form of each record read, converted once when its batch is taken. */
  private readonly lambdaRecords = new WeakMap<StreamRecord, DynamoDBRecord>();
  private readonly stats = {
    recordsProcessed: 0,
    recordsDiscarded: 0,
    batchesInvoked: 0,
    failedInvocations: 0,
    retryAttempt: 0,
    lastProcessedSequenceNumber: undefined as string | undefined,
    lastProcessedCreatedAtMs: undefined as number | undefined,
    lastError: undefined as string | undefined,
    lastErrorAt: undefined as string | undefined,
    workerRestarts: 0,
  };

  constructor(private readonly deps: ShardWorkerDeps) {
    this.meter = new RateMeter(THROUGHPUT_WINDOW_MS, deps.now);
    this.checkpointed = 'sequenceNumber' in deps.start ? deps.start.sequenceNumber : undefined;
    const { streamArn, shard, start, config, streams, logger, now, signal, emit } = deps;
    this.reader = new ShardReader({
      streamArn,
      shardId: shard.shardId,
      start,
      config,
      streams,
      logger,
      now,
      signal,
      emit,
      backOff: (what, error, failures) => this.backOffAfterError(what, error, failures),
    });
  }

  get shardId(): string {
    return this.deps.shard.shardId;
  }

  /**
   * Runs until the shard is closed and drained (`finished`) or the runner stops (`stopped`). Any error that
   * stops the reading or delivering is shown in `status()` with its time, and the worker starts again from
   * its checkpoint after a backoff: at most the batch in flight is delivered again, nothing is skipped.
   */
  async run(): Promise<'finished' | 'stopped'> {
    const { emit, streamArn, shard } = this.deps;
    emit('shard-started', { streamArn, shardId: shard.shardId, parentShardId: shard.parentShardId });
    let failures = 0;
    let start = this.deps.start;
    while (!this.stopping) {
      const processedBefore = this.stats.recordsProcessed;
      try {
        return await this.runFrom(start);
      } catch (error) {
        failures = this.stats.recordsProcessed > processedBefore ? 1 : failures + 1;
        await this.restartAfter(error, failures);
        start = this.resetToCheckpoint();
      }
    }
    this.state = 'stopped';
    return 'stopped';
  }

  private async runFrom(start: ShardIteratorRequest): Promise<'finished' | 'stopped'> {
    const { emit, streamArn, shard, checkpoints } = this.deps;
    await this.reader.open(start);
    while (!this.stopping) {
      const batch = await this.collectBatch();
      if (batch.length > 0) {
        if (!(await this.deliver(batch))) break;
        continue;
      }
      if (this.reader.closed && this.reader.pending === 0) {
        await checkpoints.markFinished(streamArn, shard.shardId);
        this.state = 'finished';
        emit('shard-finished', { streamArn, shardId: shard.shardId, parentShardId: shard.parentShardId });
        return 'finished';
      }
    }
    this.state = 'stopped';
    return 'stopped';
  }

  /** The shard's progress, lag and throughput. */
  status(): ShardStatus {
    const now = this.deps.now();
    const behind = this.reader.pending + this.inFlight;
    const caughtUp = this.reader.lastPollEmpty && behind === 0 && this.state !== 'restarting';
    const lastCreated = this.stats.lastProcessedCreatedAtMs;
    return {
      shardId: this.shardId,
      parentShardId: this.deps.shard.parentShardId,
      state: this.state,
      checkpoint: this.checkpointed,
      lastProcessedSequenceNumber: this.stats.lastProcessedSequenceNumber,
      lastProcessedRecordCreatedAt: lastCreated === undefined ? undefined : new Date(lastCreated).toISOString(),
      lagMs: caughtUp ? 0 : lastCreated === undefined ? undefined : Math.max(0, now - lastCreated),
      recordsBehind: this.state === 'starting' ? undefined : behind,
      caughtUp,
      recordsProcessed: this.stats.recordsProcessed,
      recordsDiscarded: this.stats.recordsDiscarded,
      batchesInvoked: this.stats.batchesInvoked,
      failedInvocations: this.stats.failedInvocations,
      throughputPerSecond: this.meter.perSecond(),
      retryAttempt: this.stats.retryAttempt,
      lastError: this.stats.lastError,
      lastErrorAt: this.stats.lastErrorAt,
      workerRestarts: this.stats.workerRestarts,
    };
  }

  private noteError(message: string): void {
    this.stats.lastError = message;
    this.stats.lastErrorAt = new Date(this.deps.now()).toISOString();
  }

  private async restartAfter(error: unknown, failures: number): Promise<void> {
    this.state = 'restarting';
    this.stats.workerRestarts += 1;
    this.noteError(`shard worker failed: ${errorMessage(error)}`);
    const delayMs = Math.max(retryDelayMs(failures - 1, this.deps.config), this.deps.config.pollIntervalMs);
    this.log('error', 'shard worker failed; restarting it from its checkpoint', {
      error: errorMessage(error),
      restart: this.stats.workerRestarts,
      inMs: delayMs,
      checkpoint: this.checkpointed,
    });
    await sleep(delayMs, this.deps.signal);
  }

  /** Forgets what was read past the checkpoint; returns where to read again. */
  private resetToCheckpoint(): ShardIteratorRequest {
    this.inFlight = 0;
    return this.reader.reset(this.checkpointed);
  }

  private get stopping(): boolean {
    return this.deps.signal.aborted;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, data: Record<string, unknown> = {}): void {
    this.deps.logger.log(level, message, { shardId: this.shardId, ...data });
  }

  /** Reads until a batch is ready: full, the batching window elapsed, or the shard closed. */
  private async collectBatch(): Promise<StreamRecord[]> {
    const { batchSize } = this.deps.config;
    await this.reader.fill(batchSize, () => {
      this.state = 'polling';
    });
    return this.stopping ? [] : this.takeBatch(batchSize);
  }

  /**
   * Takes the next batch off the buffer, each record converted to its Lambda form. A record that cannot be
   * converted ends the batch before it, so the records before it are delivered; when it comes first, the
   * worker fails on it (and holds the shard there: nothing after it is delivered out of order).
   */
  private takeBatch(batchSize: number): StreamRecord[] {
    const candidates = this.reader.peek(batchSize);
    const { streamArn, region } = this.deps;
    for (const [position, record] of candidates.entries()) {
      try {
        if (this.lambdaRecords.has(record)) continue;
        sequenceNumberOf(record);
        this.lambdaRecords.set(record, toLambdaRecord(record, { streamArn, awsRegion: region }));
      } catch (error) {
        if (position === 0)
          throw new UnconvertibleRecordError(record.dynamodb?.SequenceNumber, this.checkpointed, errorMessage(error), { cause: error });
        return this.reader.take(position);
      }
    }
    return this.reader.take(candidates.length);
  }

  private async backOffAfterError(what: string, error: unknown, failures: number): Promise<void> {
    this.noteError(`${what}: ${errorMessage(error)}`);
    const delayMs = retryDelayMs(failures - 1, this.deps.config);
    this.log('warn', what, { error: errorMessage(error), retryInMs: delayMs });
    await sleep(Math.max(delayMs, this.deps.config.pollIntervalMs), this.deps.signal);
  }

  // ---- delivering ------------------------------------------------------------------------------

  /**
   * Delivers one batch until every record is processed or discarded. Returns false when the runner
   * stopped first (nothing past the processed records is checkpointed).
   */
  private async deliver(records: StreamRecord[]): Promise<boolean> {
    const pending: PendingBatch[] = [freshBatch(records)];
    this.inFlight = records.length;
    try {
      while (pending.length > 0) {
        if (this.stopping) return false;
        const current = pending[0] as PendingBatch;
        if (!(await this.discardExpired(current))) return false;
        if (current.records.length === 0) {
          pending.shift();
          continue;
        }
        const next = await this.invokeOnce(current);
        if (next === 'done') pending.shift();
        else if (next === 'bisect') pending.splice(0, 1, ...bisect(current.records).map(freshBatch));
        else if (next === 'stopped') return false;
      }
      return true;
    } finally {
      this.inFlight = 0;
      this.stats.retryAttempt = 0;
    }
  }

  /** Gives up the leading records older than maxRecordAgeSeconds. */
  private async discardExpired(batch: PendingBatch): Promise<boolean> {
    // A handler that cannot load its configuration consumes nothing, not even by age.
    if (batch.held) return true;
    const expired = expiredPrefixLength(batch.records, this.deps.now(), this.deps.config.maxRecordAgeSeconds);
    if (expired === 0) return true;
    if (!(await this.giveUp(batch, batch.records.slice(0, expired), 'RecordAgeExceeded'))) return false;
    batch.records = batch.records.slice(expired);
    return true;
  }

  /** One invocation and what follows from it: `done`, `retry` (after the backoff), `bisect` or `stopped`. */
  private async invokeOnce(batch: PendingBatch): Promise<'done' | 'retry' | 'bisect' | 'stopped'> {
    const outcome = await this.invoke(batch);
    if (outcome.kind === 'success') {
      await this.commitProcessed(batch.records);
      this.emitBatch(batch, outcome, batch.records);
      return 'done';
    }
    const invoked = batch.records;
    if (outcome.kind === 'partial' && outcome.failedIndex > 0) {
      await this.commitProcessed(invoked.slice(0, outcome.failedIndex));
      batch.records = invoked.slice(outcome.failedIndex);
    }
    this.emitBatch({ ...batch, records: invoked }, outcome, outcome.kind === 'partial' ? invoked.slice(0, outcome.failedIndex) : []);
    const step = decideAfterFailure(
      outcome,
      { size: batch.records.length, invokeCount: batch.invokeCount, holds: batch.holds },
      this.deps.config,
    );
    batch.held = step.action === 'hold';
    if (step.action === 'hold') return this.hold(batch, step, outcome.kind === 'failure' ? outcome.reason : '');
    if (step.action === 'bisect') {
      this.log('info', 'batch failed: bisecting', {
        size: batch.records.length,
        reason: outcome.kind === 'failure' ? outcome.reason : undefined,
      });
      return 'bisect';
    }
    if (step.action === 'give-up') return (await this.giveUp(batch, batch.records, step.condition)) ? 'done' : 'stopped';
    this.state = 'retrying';
    this.stats.retryAttempt = step.retryNumber;
    this.log('info', 'batch failed: retrying', {
      retry: step.retryNumber,
      inMs: step.delayMs,
      fromSequenceNumber: sequenceNumberOf(batch.records[0] as StreamRecord),
    });
    await sleep(step.delayMs, this.deps.signal);
    return 'retry';
  }

  /** Offers the batch again after a backoff, consuming nothing, until the handler can load its configuration. */
  private async hold(batch: PendingBatch, step: { delayMs: number; holdNumber: number }, reason: string): Promise<'retry'> {
    batch.holds = step.holdNumber;
    this.state = 'holding';
    this.log('error', 'the handler cannot load its configuration: holding the shard, nothing is consumed until it can', {
      reason,
      attempt: step.holdNumber,
      inMs: step.delayMs,
      fromSequenceNumber: sequenceNumberOf(batch.records[0] as StreamRecord),
    });
    await sleep(step.delayMs, this.deps.signal);
    return 'retry';
  }

  private async invoke(batch: PendingBatch): Promise<InvocationOutcome> {
    const { config, streamArn, region, handler, now } = this.deps;
    const requestId = randomUUID();
    const context = createLambdaContext({
      functionName: config.functionName,
      functionArn: functionArnFor(streamArn, config.functionName),
      timeoutMs: config.timeoutMs,
      awsRequestId: requestId,
      now,
    });
    const event: DynamoDBStreamEvent = {
      Records: batch.records.map((record) => this.lambdaRecords.get(record) ?? toLambdaRecord(record, { streamArn, awsRegion: region })),
    };
    this.state = 'invoking';
    const startedAt = now();
    const outcome = await invokeHandler(handler, event, context, config.timeoutMs);
    this.lastDurationMs = now() - startedAt;
    batch.invokeCount += 1;
    batch.lastRequestId = requestId;
    batch.lastFunctionError = outcome.kind === 'failure' ? outcome.functionError : undefined;
    this.stats.batchesInvoked += 1;
    if (outcome.kind !== 'success') {
      this.stats.failedInvocations += 1;
      this.noteError(outcome.kind === 'failure' ? outcome.reason : `record ${outcome.itemIdentifier} reported as failed`);
    }
    return outcome;
  }

  private emitBatch(batch: PendingBatch, outcome: InvocationOutcome, committed: readonly StreamRecord[]): void {
    const first = batch.records[0] as StreamRecord;
    this.deps.emit('batch', {
      streamArn: this.deps.streamArn,
      shardId: this.shardId,
      requestId: batch.lastRequestId ?? '',
      size: batch.records.length,
      firstSequenceNumber: sequenceNumberOf(first),
      lastSequenceNumber: sequenceNumberOf(lastOf(batch.records)),
      outcome: outcome.kind,
      invokeCount: batch.invokeCount,
      durationMs: this.lastDurationMs,
      checkpoint: committed.length > 0 ? sequenceNumberOf(lastOf(committed)) : undefined,
      error:
        outcome.kind === 'failure'
          ? outcome.reason
          : outcome.kind === 'partial'
            ? `batchItemFailures from ${outcome.itemIdentifier}`
            : undefined,
    });
  }

  private async saveCheckpoint(sequenceNumber: string): Promise<void> {
    await this.deps.checkpoints.checkpoint(this.deps.streamArn, this.shardId, sequenceNumber);
    this.checkpointed = sequenceNumber;
  }

  private async commitProcessed(records: readonly StreamRecord[]): Promise<void> {
    if (records.length === 0) return;
    const last = lastOf(records);
    await this.saveCheckpoint(sequenceNumberOf(last));
    this.stats.recordsProcessed += records.length;
    this.stats.lastProcessedSequenceNumber = sequenceNumberOf(last);
    this.stats.lastProcessedCreatedAtMs = createdAtMs(last) ?? this.stats.lastProcessedCreatedAtMs;
    this.inFlight = Math.max(0, this.inFlight - records.length);
    this.meter.add(records.length);
  }

  /**
   * Reports discarded records to the on-failure destination (retrying until it accepts them, since
   * moving past them otherwise loses them without a trace), then checkpoints past them.
   */
  private async giveUp(batch: PendingBatch, records: StreamRecord[], condition: OnFailureCondition): Promise<boolean> {
    const { config, streamArn, onFailure, now } = this.deps;
    const record = buildOnFailureRecord({
      streamArn,
      shardId: this.shardId,
      functionName: config.functionName,
      condition,
      requestId: batch.lastRequestId ?? randomUUID(),
      approximateInvokeCount: batch.invokeCount,
      functionError: batch.lastFunctionError,
      records,
      now: new Date(now()),
    });
    const summary = { condition, ...record.DDBStreamBatchInfo };
    if (onFailure === undefined) {
      this.log('warn', 'records discarded without an on-failure destination', summary);
    } else if (!(await this.sendOnFailure(onFailure, record))) {
      return false;
    } else {
      this.log('warn', 'records discarded: on-failure record sent', { destination: onFailure.description, ...summary });
    }
    await this.saveCheckpoint(sequenceNumberOf(lastOf(records)));
    this.stats.recordsDiscarded += records.length;
    this.inFlight = Math.max(0, this.inFlight - records.length);
    this.deps.emit('discarded', { streamArn, shardId: this.shardId, condition, record, delivered: onFailure !== undefined });
    return true;
  }

  private async sendOnFailure(destination: OnFailureDestination, record: Parameters<OnFailureDestination['send']>[0]): Promise<boolean> {
    for (let failures = 1; !this.stopping; failures += 1) {
      try {
        await destination.send(record);
        return true;
      } catch (error) {
        await this.backOffAfterError(`on-failure destination ${destination.description} refused the record`, error, failures);
      }
    }
    return false;
  }
}
