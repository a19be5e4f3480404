import type { StreamRunner } from './stream-runner';
import { levelEnabled } from './logger';
import type { LogLevel, RunnerLogger, RunnerStatus } from './types';

const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)}s`);
const shortened = (text: string): string => {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
};

/**
 * One line summing up the runner: shards, records, throughput, worst lag, records behind, failures.
 * @example formatStatusLine(runner.status()) // 'orders running | shards 1/1 | 120 rec 4.5/s | lag 0.3s | behind 0 | failed 0 | discarded 0'
 */
export function formatStatusLine(status: RunnerStatus): string {
  const active = status.shards.filter((shard) => shard.state !== 'finished' && shard.state !== 'stopped').length;
  const retrying = status.shards.filter((shard) => shard.state === 'retrying');
  const { totals } = status;
  const parts = [
    `${status.tableName ?? '?'} ${status.state}`,
    `shards ${active}/${status.shards.length}`,
    `${totals.recordsProcessed} rec ${totals.throughputPerSecond}/s`,
    `lag ${seconds(totals.maxLagMs)}`,
    `behind ${totals.recordsBehind ?? '–'}`,
    `failed ${totals.failedInvocations}`,
    `discarded ${totals.recordsDiscarded}`,
  ];
  if (retrying.length > 0) parts.push(`retrying ${retrying.map((shard) => `${shard.shardId}#${shard.retryAttempt}`).join(',')}`);
  for (const shard of status.shards.filter((candidate) => candidate.state === 'holding' || candidate.state === 'restarting')) {
    parts.push(`${shard.state.toUpperCase()} ${shard.shardId} since ${shard.lastErrorAt ?? '?'}: ${shortened(shard.lastError ?? '')}`);
  }
  if (totals.gaps > 0) parts.push(`GAPS ${totals.gaps}`);
  return parts.join(' | ');
}

export interface ReporterOptions {
  readonly out: NodeJS.WritableStream;
  /** A single updating line (true) or JSON log lines (false). */
  readonly tty: boolean;
  /** Redraw (TTY) or status log (JSON) period. */
  readonly intervalMs: number;
  readonly minLevel?: LogLevel;
}

/**
 * Console output of the CLI: on a TTY one status line redrawn in place, with log lines printed above
 * it; otherwise JSON lines (logs, one per batch, and a periodic `status` line).
 */
export class StatusReporter {
  private timer: NodeJS.Timeout | undefined;
  private lineShown = false;
  private runner: StreamRunner | undefined;

  constructor(private readonly options: ReporterOptions) {}

  /** A logger that cooperates with the status line. */
  readonly logger: RunnerLogger = {
    log: (level, message, data = {}) => {
      if (!levelEnabled(level, this.options.minLevel ?? 'info')) return;
      this.clearLine();
      this.options.out.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...data })}\n`);
      this.drawLine();
    },
  };

  attach(runner: StreamRunner): void {
    this.runner = runner;
    if (!this.options.tty) {
      runner.on('batch', (batch) => this.logger.log(batch.outcome === 'success' ? 'info' : 'warn', 'batch', { ...batch }));
    }
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  detach(): void {
    clearInterval(this.timer);
    this.clearLine();
    if (this.runner)
      this.options.out.write(
        `${this.options.tty ? formatStatusLine(this.runner.status()) : JSON.stringify({ msg: 'status', ...this.runner.status() })}\n`,
      );
    this.runner = undefined;
  }

  private tick(): void {
    if (!this.runner) return;
    if (this.options.tty) {
      this.clearLine();
      this.drawLine();
    } else {
      this.logger.log('info', 'status', { ...this.runner.status() });
    }
  }

  private drawLine(): void {
    if (!this.options.tty || !this.runner) return;
    this.options.out.write(formatStatusLine(this.runner.status()));
    this.lineShown = true;
  }

  private clearLine(): void {
    if (!this.options.tty || !this.lineShown) return;
    this.options.out.write('\r\x1b[2K');
    this.lineShown = false;
  }
}
