/** Counts events over a sliding window to report a rate per second. */
export class RateMeter {
  private readonly samples: { atMs: number; count: number }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  add(count: number): void {
    this.samples.push({ atMs: this.now(), count });
    this.prune();
  }

  /** Events per second over the window. */
  perSecond(): number {
    this.prune();
    const total = this.samples.reduce((sum, sample) => sum + sample.count, 0);
    return Math.round((total / (this.windowMs / 1000)) * 10) / 10;
  }

  private prune(): void {
    const oldest = this.now() - this.windowMs;
    while (this.samples.length > 0 && (this.samples[0]?.atMs ?? 0) < oldest) this.samples.shift();
  }
}
