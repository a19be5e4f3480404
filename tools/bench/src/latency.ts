import { latencySummary, round } from './stats';
import type { LatencyRun, LatencySummary, ObservedWrite } from './types';

/** A write whose arrival in the index is awaited. */
interface PendingWrite {
  readonly id: string;
  readonly version: number;
  readonly sentAt: number;
  readonly ackedAt: number;
}

/**
 * Follows writes from DynamoDB to the index: each write of a document is registered with the version it
 * wrote, and is resolved by the first poll that finds that version (or a later one) in the index.
 *
 * @example
 * const tracker = new LatencyTracker();
 * tracker.register('doc-1', 7, sentAt, ackedAt);
 * tracker.observe('doc-1', 7, performance.now());
 */
export class LatencyTracker {
  private readonly pending = new Map<string, PendingWrite[]>();
  private readonly observed: ObservedWrite[] = [];

  /** Registers a write of `version` to document `id`. */
  register(id: string, version: number, sentAt: number, ackedAt: number): void {
    this.pending.set(id, [...(this.pending.get(id) ?? []), { id, version, sentAt, ackedAt }]);
  }

  /** Records that a poll at `at` found `version` of document `id`: every pending write of it up to that version arrived. */
  observe(id: string, version: number, at: number): void {
    const writes = this.pending.get(id);
    if (writes === undefined) return;
    const arrived = writes.filter((write) => write.version <= version);
    arrived.forEach((write) => this.observed.push({ id, version: write.version, fromSendMs: at - write.sentAt, fromAckMs: at - write.ackedAt }));
    const waiting = writes.filter((write) => write.version > version);
    if (waiting.length === 0) this.pending.delete(id);
    else this.pending.set(id, waiting);
  }

  /** Ids with writes not seen yet. */
  pendingIds(): string[] {
    return [...this.pending.keys()];
  }

  /** Writes not seen yet. */
  pendingCount(): number {
    return [...this.pending.values()].reduce((total, writes) => total + writes.length, 0);
  }

  /** Every write seen so far. */
  results(): readonly ObservedWrite[] {
    return this.observed;
  }
}

/**
 * Summarises one run.
 *
 * @example
 * latencyRun(tracker.results(), { writes: 1000, notSeen: 0, durationMs: 50_000 });
 */
export function latencyRun(observed: readonly ObservedWrite[], counts: { readonly writes: number; readonly notSeen: number; readonly durationMs: number }): LatencyRun {
  return {
    writes: counts.writes,
    notSeen: counts.notSeen,
    fromSend: rounded(latencySummary(observed.map((write) => write.fromSendMs))),
    fromAck: rounded(latencySummary(observed.map((write) => write.fromAckMs))),
    achievedRate: Math.round((counts.writes / counts.durationMs) * 10_000) / 10,
  };
}

function rounded(summary: LatencySummary): LatencySummary {
  return { count: summary.count, p50: round(summary.p50), p95: round(summary.p95), p99: round(summary.p99), max: round(summary.max) };
}
