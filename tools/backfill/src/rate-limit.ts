import { BACK_PRESSURE } from './constants';
import { InvalidOptionsError } from './errors';
import { sleep as realSleep, type Sleep } from '@ddb-os/node-io';

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second (e.g. read capacity units per second), > 0. */
  readonly ratePerSecond: number;
  /** Most tokens the bucket holds (the largest burst). @default ratePerSecond */
  readonly burst?: number;
  /** Clock in ms. @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout-based sleep */
  readonly sleep?: Sleep;
}

/**
 * A token bucket for a cost known only afterwards, such as the capacity a Scan page consumes: `take` reserves
 * an estimate before the request (waiting until the bucket holds it), `settle` corrects by the actual cost.
 * The balance may go negative after an expensive request; later requests then wait until it refills, so the
 * long-run rate never exceeds `ratePerSecond`.
 *
 * @example
 * const bucket = new TokenBucket({ ratePerSecond: 100 });
 * await bucket.take(estimate);
 * const page = await scan();
 * bucket.settle(estimate, page.ConsumedCapacity?.CapacityUnits ?? estimate);
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(private readonly options: TokenBucketOptions) {
    if (!Number.isFinite(options.ratePerSecond) || options.ratePerSecond <= 0) {
      throw new InvalidOptionsError('rate limit', [`ratePerSecond: must be a positive number, got ${String(options.ratePerSecond)}`]);
    }
    this.burst = options.burst ?? options.ratePerSecond;
    if (!Number.isFinite(this.burst) || this.burst <= 0) {
      throw new InvalidOptionsError('rate limit', [`burst: must be a positive number, got ${String(options.burst)}`]);
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.tokens = this.burst;
    this.updatedAt = this.now();
  }

  /** Tokens available now (negative while in debt). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /**
   * Waits until the bucket holds `cost` tokens (at most a full bucket), then takes them.
   * Returns early without taking anything when `signal` aborts.
   */
  async take(cost: number, signal?: AbortSignal): Promise<void> {
    const needed = Math.min(Math.max(cost, 0), this.burst);
    for (;;) {
      if (signal?.aborted) return;
      this.refill();
      if (this.tokens >= needed) {
        this.tokens -= cost;
        return;
      }
      await this.sleep(Math.ceil(((needed - this.tokens) / this.options.ratePerSecond) * 1000), signal);
    }
  }

  /** Corrects a reservation made with `take(estimated)` by the cost actually consumed. */
  settle(estimated: number, actual: number): void {
    this.refill();
    this.tokens = Math.min(this.burst, this.tokens + estimated - actual);
  }

  private refill(): void {
    const now = this.now();
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs / 1000) * this.options.ratePerSecond);
  }
}

/** Options of {@link BackPressure}. */
export interface BackPressureOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly factor?: number;
  readonly sleep?: Sleep;
}

/**
 * A shared pause between page writes that grows while OpenSearch pushes back (429s, retryable outcomes) and
 * shrinks again with every page it accepts cleanly: the writers slow down together instead of hammering a
 * saturated cluster.
 *
 * @example
 * await backPressure.wait(signal);
 * const outcomes = await applyWrites(client, writes, options);
 * if (pushedBack(outcomes)) backPressure.pushedBack(); else backPressure.relieved();
 */
export class BackPressure {
  private delay = 0;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly factor: number;
  private readonly sleep: Sleep;

  constructor(options: BackPressureOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? BACK_PRESSURE.initialDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? BACK_PRESSURE.maxDelayMs;
    this.factor = options.factor ?? BACK_PRESSURE.factor;
    this.sleep = options.sleep ?? realSleep;
  }

  /** The pause before the next page write, in ms. */
  get delayMs(): number {
    return this.delay;
  }

  /** OpenSearch pushed back: lengthen the pause (from `initialDelayMs`, times `factor`, up to `maxDelayMs`). */
  pushedBack(): void {
    this.delay = this.delay === 0 ? this.initialDelayMs : Math.min(this.maxDelayMs, this.delay * this.factor);
  }

  /** A page went through cleanly: shorten the pause; below `initialDelayMs` it disappears. */
  relieved(): void {
    const shorter = this.delay / this.factor;
    this.delay = shorter < this.initialDelayMs ? 0 : shorter;
  }

  /** Waits the current pause (returns at once when there is none or `signal` aborts). */
  wait(signal?: AbortSignal): Promise<void> {
    return this.sleep(this.delay, signal);
  }
}
