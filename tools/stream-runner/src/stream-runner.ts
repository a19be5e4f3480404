import { EventEmitter } from 'node:events';
import path from 'node:path';
import { defaultClients } from './aws-clients';
import { sleep } from '@ddb-os/node-io';
import { errorMessage, withinMs } from './async-utils';
import { CheckpointStore } from './checkpoint-store';
import { DEFAULTS } from './constants';
import { RunnerAlreadyStartedError, RunnerNotDrainedError, StreamNotEnabledError } from './errors';
import { mergeShards, shardsReadyToStart, shardStart } from './lineage';
import { jsonLogger } from './logger';
import { resolveRunnerConfig } from './options';
import { ShardWorker } from './shard-worker';
import { parseStreamArn } from '@ddb-os/stream-decoding';
import type {
  OnFailureDestination,
  RunnerConfig,
  RunnerLogger,
  RunnerStatus,
  ShardDescription,
  ShardStatus,
  StreamHandler,
  StreamRunnerEvents,
  StreamRunnerOptions,
  StreamsApi,
  TablesApi,
} from './types';

/** Status of a described shard that waits for its parent to finish. */
function waitingShardStatus(shard: ShardDescription): ShardStatus {
  return {
    shardId: shard.shardId,
    parentShardId: shard.parentShardId,
    state: 'waiting-for-parent',
    checkpoint: undefined,
    lastProcessedSequenceNumber: undefined,
    lastProcessedRecordCreatedAt: undefined,
    lagMs: undefined,
    recordsBehind: undefined,
    caughtUp: false,
    recordsProcessed: 0,
    recordsDiscarded: 0,
    batchesInvoked: 0,
    failedInvocations: 0,
    throughputPerSecond: 0,
    retryAttempt: 0,
    lastError: undefined,
    lastErrorAt: undefined,
    workerRestarts: 0,
  };
}

/**
 * Plays the part of Lambda's DynamoDB Streams event source mapping on a developer machine: reads
 * every shard of a stream in lineage order and invokes a handler in-process with the Lambda event
 * and context, honouring partial batch responses, retries, bisection, record age and an on-failure
 * destination, with checkpoints in a local JSON file.
 *
 * @example
 * const runner = new StreamRunner({ handler, tableName: 'orders', batchSize: 50 });
 * runner.on('batch', (result) => console.log(result.outcome, result.size));
 * await runner.start();
 * // ... later
 * await runner.stop();
 */
export class StreamRunner extends EventEmitter<StreamRunnerEvents> {
  private readonly config: RunnerConfig;
  private readonly handler: StreamHandler;
  private readonly streams: StreamsApi;
  private readonly tables: TablesApi;
  private readonly onFailure: OnFailureDestination | undefined;
  private readonly logger: RunnerLogger;
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private state: RunnerStatus['state'] = 'created';
  private startedAtMs: number | undefined;
  private streamArn: string | undefined;
  private tableName: string | undefined;
  private region = DEFAULTS.region as string;
  private checkpoints: CheckpointStore | undefined;
  private streamIsNew = false;
  private readonly describedAtStartup = new Set<string>();
  private shards: ShardDescription[] = [];
  private readonly workers = new Map<string, ShardWorker>();
  private readonly runs = new Map<string, Promise<void>>();
  private readonly finished = new Set<string>();
  private refreshNow = new AbortController();
  private discovery: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private warnedAboutNewStream = false;
  private readonly totals = { onFailureRecordsSent: 0, gaps: 0 };
  private resolveStopped: () => void = () => undefined;
  /** Resolves once the runner has stopped. */
  readonly stopped: Promise<void> = new Promise((resolve) => {
    this.resolveStopped = resolve;
  });

  constructor(options: StreamRunnerOptions) {
    super();
    this.config = resolveRunnerConfig(options);
    this.handler = options.handler;
    const clients = options.streams && options.tables ? undefined : defaultClients();
    this.streams = options.streams ?? (clients as ReturnType<typeof defaultClients>).streams;
    this.tables = options.tables ?? (clients as ReturnType<typeof defaultClients>).tables;
    this.onFailure = options.onFailure;
    this.logger = options.logger ?? jsonLogger(process.stderr, 'warn');
    this.now = options.now ?? Date.now;
    this.tableName = this.config.tableName;
    this.on('discarded', (event) => {
      if (event.delivered) this.totals.onFailureRecordsSent += 1;
    });
    this.on('gap', () => {
      this.totals.gaps += 1;
    });
  }

  /**
   * Resolves the stream, opens the checkpoint file, describes the shards and starts reading.
   * Resolves once reading has started; throws when the stream or the checkpoint file is unusable.
   */
  async start(): Promise<void> {
    if (this.state !== 'created') throw new RunnerAlreadyStartedError();
    this.state = 'starting';
    this.startedAtMs = this.now();
    try {
      const streamArn = this.config.streamArn ?? (await this.resolveStreamArn(this.config.tableName as string));
      const parts = parseStreamArn(streamArn);
      this.streamArn = streamArn;
      this.region = parts.region;
      this.tableName ??= parts.tableName;
      this.checkpoints = await CheckpointStore.open(
        this.config.checkpointFile ?? path.join(DEFAULTS.checkpointDirectory, `${this.tableName}.json`),
      );
      this.streamIsNew = !this.checkpoints.hasStream(streamArn);
      await this.refreshShards(true);
    } catch (error) {
      this.state = 'stopped';
      this.resolveStopped();
      throw error;
    }
    this.state = 'running';
    this.logger.log('info', 'stream runner started', {
      streamArn: this.streamArn,
      checkpointFile: this.checkpoints.filePath,
      newStream: this.streamIsNew,
    });
    this.discovery = this.discoverShards();
  }

  /**
   * Stops reading: in-flight invocations may finish (and checkpoint) within `stopGraceMs`, nothing
   * else is checkpointed, so a restart resumes after the last processed record.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopping = this.shutDown();
    return this.stopping;
  }

  /** Whether every shard has read all there is and has nothing in flight, waiting or retrying. */
  isCaughtUp(): boolean {
    const status = this.status();
    if (status.state !== 'running' || status.shards.length === 0) return false;
    return status.shards.every(
      (shard) => shard.caughtUp && shard.state !== 'invoking' && shard.retryAttempt === 0 && (shard.recordsBehind ?? 1) === 0,
    );
  }

  /**
   * Resolves once the runner is caught up and has processed nothing new for `quietMs` (e.g. once the writers of a
   * test or a bench stopped); rejects with {@link RunnerNotDrainedError} after `timeoutMs`.
   */
  async drained({
    timeoutMs = DEFAULTS.drainTimeoutMs,
    quietMs = DEFAULTS.drainQuietMs,
  }: { timeoutMs?: number; quietMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let processed = -1;
    let quietSince = Date.now();
    for (;;) {
      const now = Date.now();
      const current = this.status().totals.recordsProcessed;
      if (current !== processed || !this.isCaughtUp()) {
        processed = current;
        quietSince = now;
      } else if (now - quietSince >= quietMs) return;
      if (now >= deadline) throw new RunnerNotDrainedError(timeoutMs, this.status());
      await sleep(Math.min(250, quietMs));
    }
  }

  /** Progress, lag and throughput of every shard (JSON-serialisable). */
  status(): RunnerStatus {
    const waiting = this.shards.filter((shard) => !this.workers.has(shard.shardId) && !this.finished.has(shard.shardId));
    const shards: ShardStatus[] = [...[...this.workers.values()].map((worker) => worker.status()), ...waiting.map(waitingShardStatus)];
    const lags = shards.map((shard) => shard.lagMs).filter((lag): lag is number => lag !== undefined);
    const behind = shards.map((shard) => shard.recordsBehind).filter((count): count is number => count !== undefined);
    const sum = (pick: (shard: ShardStatus) => number): number => shards.reduce((total, shard) => total + pick(shard), 0);
    return {
      state: this.state,
      tableName: this.tableName,
      streamArn: this.streamArn,
      functionName: this.config.functionName,
      startedAt: this.startedAtMs === undefined ? undefined : new Date(this.startedAtMs).toISOString(),
      checkpointFile: this.checkpoints?.filePath,
      totals: {
        recordsProcessed: sum((shard) => shard.recordsProcessed),
        recordsDiscarded: sum((shard) => shard.recordsDiscarded),
        batchesInvoked: sum((shard) => shard.batchesInvoked),
        failedInvocations: sum((shard) => shard.failedInvocations),
        onFailureRecordsSent: this.totals.onFailureRecordsSent,
        gaps: this.totals.gaps,
        throughputPerSecond: Math.round(sum((shard) => shard.throughputPerSecond) * 10) / 10,
        maxLagMs: lags.length === 0 ? undefined : Math.max(...lags),
        recordsBehind: behind.length === 0 ? undefined : behind.reduce((total, count) => total + count, 0),
      },
      shards,
    };
  }

  private async resolveStreamArn(tableName: string): Promise<string> {
    const streamArn = await this.tables.latestStreamArn(tableName);
    if (streamArn === undefined) throw new StreamNotEnabledError(tableName);
    return streamArn;
  }

  private async shutDown(): Promise<void> {
    if (this.state === 'created' || this.state === 'stopped') {
      this.state = 'stopped';
      this.resolveStopped();
      return;
    }
    this.state = 'stopping';
    this.abort.abort();
    const settled = await withinMs(Promise.allSettled([...this.runs.values(), this.discovery]), this.config.stopGraceMs);
    if (settled === undefined) {
      this.logger.log('warn', 'in-flight invocations did not finish within the stop grace period: abandoned without checkpoint', {
        stopGraceMs: this.config.stopGraceMs,
      });
    }
    await this.checkpoints?.close();
    this.state = 'stopped';
    this.logger.log('info', 'stream runner stopped', { streamArn: this.streamArn });
    this.emit('stopped');
    this.resolveStopped();
  }

  private async discoverShards(): Promise<void> {
    while (!this.abort.signal.aborted) {
      await sleep(this.config.describeIntervalMs, AbortSignal.any([this.abort.signal, this.refreshNow.signal]));
      if (this.abort.signal.aborted) return;
      if (this.refreshNow.signal.aborted) this.refreshNow = new AbortController();
      try {
        await this.refreshShards(false);
        await this.checkForNewStream();
      } catch (error) {
        this.warn('DescribeStream failed; retrying at the next refresh', { error: errorMessage(error) });
      }
    }
  }

  private async refreshShards(initial: boolean): Promise<void> {
    const described = await this.describeAllShards();
    if (initial) for (const shard of described) this.describedAtStartup.add(shard.shardId);
    this.shards = mergeShards(this.shards, described);
    this.startReadyShards();
  }

  private async describeAllShards(): Promise<ShardDescription[]> {
    const shards: ShardDescription[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await this.streams.describeStream({ streamArn: this.streamArn as string, exclusiveStartShardId });
      shards.push(...page.shards);
      exclusiveStartShardId = page.lastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    return shards;
  }

  /** Starts every shard whose parent is done; repeats while skipped shards unblock their children. */
  private startReadyShards(): void {
    const checkpoints = this.checkpoints as CheckpointStore;
    const streamArn = this.streamArn as string;
    for (const shard of this.shards) if (checkpoints.get(streamArn, shard.shardId)?.finished) this.finished.add(shard.shardId);
    let ready = this.readyShards();
    while (ready.length > 0 && !this.abort.signal.aborted) {
      for (const shard of ready) this.startShard(shard);
      ready = this.readyShards();
    }
  }

  private readyShards(): ShardDescription[] {
    return shardsReadyToStart(this.shards, { finished: this.finished, started: new Set(this.runs.keys()) });
  }

  private startShard(shard: ShardDescription): void {
    const checkpoints = this.checkpoints as CheckpointStore;
    const streamArn = this.streamArn as string;
    const start = shardStart(shard, {
      checkpoint: checkpoints.get(streamArn, shard.shardId)?.sequenceNumber,
      startPosition: this.config.startPosition,
      streamIsNew: this.streamIsNew,
      describedAtStartup: this.describedAtStartup.has(shard.shardId),
    });
    if (start.type === 'skip') {
      this.finished.add(shard.shardId);
      return;
    }
    const worker = new ShardWorker({
      streamArn,
      region: this.region,
      shard,
      start,
      config: this.config,
      handler: this.handler,
      streams: this.streams,
      checkpoints,
      onFailure: this.onFailure,
      logger: this.logger,
      now: this.now,
      signal: this.abort.signal,
      emit: (event, ...args) => this.emitEvent(event, args),
    });
    this.workers.set(shard.shardId, worker);
    this.runs.set(shard.shardId, this.supervise(worker));
  }

  private async supervise(worker: ShardWorker): Promise<void> {
    try {
      if ((await worker.run()) === 'finished') {
        this.finished.add(worker.shardId);
        this.startReadyShards();
        this.refreshNow.abort();
      }
    } catch (error) {
      // Restarted from its checkpoint at the next refresh: at most one batch is delivered again.
      this.runs.delete(worker.shardId);
      this.warn('shard worker failed; it restarts from its checkpoint at the next refresh', {
        shardId: worker.shardId,
        error: errorMessage(error),
      });
    }
  }

  /** A re-enabled stream has a new ARN; like an event source mapping, the runner stays on its own. */
  private async checkForNewStream(): Promise<void> {
    if (this.config.tableName === undefined || this.warnedAboutNewStream) return;
    const latest = await this.tables.latestStreamArn(this.config.tableName).catch(() => this.streamArn);
    if (latest === undefined || latest === this.streamArn) return;
    this.warnedAboutNewStream = true;
    this.warn('the table has a newer stream; restart the runner to follow it (its checkpoints start fresh)', {
      current: this.streamArn,
      latest,
    });
  }

  private emitEvent<K extends keyof StreamRunnerEvents>(event: K, args: StreamRunnerEvents[K]): void {
    (this.emit as (name: K, ...rest: StreamRunnerEvents[K]) => boolean)(event, ...args);
  }

  private warn(message: string, data: Record<string, unknown>): void {
    this.logger.log('warn', message, data);
    this.emit('warning', { message, data });
  }
}
