import { StreamRunner, type BatchResultEvent, type OnFailureDestination, type StreamHandler } from '../local';

/** Settings of every runner of a chaos run (a new runner after a restart gets the same). */
export interface RunnerSettings {
  readonly batchSize: number;
  readonly maxRetryAttempts: number;
  readonly bisectBatchOnError: boolean;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly idlePollMaxMs: number;
}

/** What the runners of a run did, summed over restarts. */
export interface RunnerCounters {
  invocations: number;
  failedInvocations: number;
  partialBatches: number;
  /** Invocations of a batch that had been invoked before (Lambda-style retries). */
  retries: number;
  /** Batches given up and sent to the on-failure queue. */
  onFailureRecords: number;
  restarts: number;
  warnings: number;
}

/**
 * Owns the stream runner of a chaos run: starts it, stops it (gracefully, or abruptly: the in-flight
 * invocation is abandoned without a checkpoint, like a crashed poller) and starts a new one on the same
 * checkpoint file, counting what every runner did.
 */
export class RunnerControl {
  readonly counters: RunnerCounters = {
    invocations: 0,
    failedInvocations: 0,
    partialBatches: 0,
    retries: 0,
    onFailureRecords: 0,
    restarts: 0,
    warnings: 0,
  };
  private runner: StreamRunner | undefined;

  constructor(
    private readonly base: {
      readonly handler: StreamHandler;
      readonly tableName: string;
      readonly checkpointFile: string;
      readonly onFailure: OnFailureDestination;
    },
    private readonly settings: RunnerSettings,
    /** For each planned restart, in order: whether the runner is stopped abruptly (decided when it is created). */
    private readonly plannedAbruptStops: readonly boolean[],
  ) {}

  /** Starts a runner (reading on from the checkpoint file). */
  async start(): Promise<void> {
    const abruptStop = this.plannedAbruptStops[this.counters.restarts] ?? false;
    const runner = new StreamRunner({
      ...this.base,
      ...this.settings,
      // An abrupt stop abandons the in-flight invocation at once: no checkpoint for it, as when a poller crashes.
      stopGraceMs: abruptStop ? 1 : this.settings.timeoutMs,
      logger: { log: (level) => void (level === 'warn' || level === 'error' ? (this.counters.warnings += 1) : undefined) },
    });
    runner.on('batch', (event) => this.count(event));
    runner.on('discarded', () => void (this.counters.onFailureRecords += 1));
    await runner.start();
    this.runner = runner;
  }

  /** Stops the runner (as planned when it was created), waits `downMs`, and starts a new one on the same checkpoint file. */
  async restart(downMs: number, sleep: (ms: number) => Promise<void>): Promise<void> {
    await this.stop();
    this.counters.restarts += 1;
    await sleep(downMs);
    await this.start();
  }

  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    await runner?.stop();
  }

  /** Whether every shard has read everything and has nothing waiting or retrying. */
  caughtUp(): boolean {
    return this.runner?.isCaughtUp() ?? false;
  }

  private count(event: BatchResultEvent): void {
    this.counters.invocations += 1;
    if (event.outcome === 'failure') this.counters.failedInvocations += 1;
    if (event.outcome === 'partial') this.counters.partialBatches += 1;
    if (event.invokeCount > 1) this.counters.retries += 1;
  }
}
