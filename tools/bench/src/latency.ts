import { latencySummary, round } from './stats';
import type { LatencyRun, LatencySummary, ObservedWrite, PipelineStage, StageBreakdown } from './types';

/** The points a write passes, in order, after its PutItem is acknowledged (`searchable` last). */
export const PIPELINE_STAGES: readonly PipelineStage[] = ['stream', 'delivered', 'indexed', 'searchable'];

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
  /** First time each write (`id#version`) reached each stage; a mark may come before the write is registered. */
  private readonly marks = new Map<string, Partial<Record<PipelineStage, number>>>();
  private readonly arrived: Array<PendingWrite & { readonly searchableAt: number }> = [];

  /**
   * Records that version `version` of document `id` reached `stage` at `at` (the first mark of a stage counts).
   * `searchable` is marked by {@link observe}.
   */
  mark(stage: Exclude<PipelineStage, 'searchable'>, id: string, version: number, at: number): void {
    const key = `${id}#${version}`;
    const marks = this.marks.get(key) ?? {};
    marks[stage] ??= at;
    this.marks.set(key, marks);
  }

  /**
   * Where the time of the writes seen so far went: PutItem send → ack, then each stage from the acknowledgement
   * (cumulative) and from the stage before (per step). A write resolved by a later version counts its own marks.
   */
  stageBreakdown(): StageBreakdown {
    const fromAck = (stage: PipelineStage): number[] =>
      this.arrived.flatMap((write) => stageTime(this.stageTimes(write), stage, write.ackedAt));
    const step = (stage: PipelineStage, index: number): number[] =>
      this.arrived.flatMap((write) => {
        const times = this.stageTimes(write);
        const previous = index === 0 ? write.ackedAt : times[PIPELINE_STAGES[index - 1] as PipelineStage];
        return previous === undefined ? [] : stageTime(times, stage, previous);
      });
    return {
      putItem: rounded(latencySummary(this.arrived.map((write) => write.ackedAt - write.sentAt))),
      fromAck: summaries(PIPELINE_STAGES.map((stage) => [stage, fromAck(stage)])),
      step: summaries(PIPELINE_STAGES.map((stage, index) => [stage, step(stage, index)])),
    };
  }

  private stageTimes(write: PendingWrite & { readonly searchableAt: number }): Partial<Record<PipelineStage, number>> {
    return { ...this.marks.get(`${write.id}#${write.version}`), searchable: write.searchableAt };
  }

  /** Registers a write of `version` to document `id`. */
  register(id: string, version: number, sentAt: number, ackedAt: number): void {
    this.pending.set(id, [...(this.pending.get(id) ?? []), { id, version, sentAt, ackedAt }]);
  }

  /** Records that a poll at `at` found `version` of document `id`: every pending write of it up to that version arrived. */
  observe(id: string, version: number, at: number): void {
    const writes = this.pending.get(id);
    if (writes === undefined) return;
    const arrived = writes.filter((write) => write.version <= version);
    arrived.forEach((write) => {
      this.observed.push({ id, version: write.version, fromSendMs: at - write.sentAt, fromAckMs: at - write.ackedAt });
      this.arrived.push({ ...write, searchableAt: at });
    });
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
export function latencyRun(
  observed: readonly ObservedWrite[],
  counts: { readonly writes: number; readonly notSeen: number; readonly durationMs: number },
  stages?: StageBreakdown,
): LatencyRun {
  return {
    writes: counts.writes,
    notSeen: counts.notSeen,
    fromSend: rounded(latencySummary(observed.map((write) => write.fromSendMs))),
    fromAck: rounded(latencySummary(observed.map((write) => write.fromAckMs))),
    achievedRate: Math.round((counts.writes / counts.durationMs) * 10_000) / 10,
    ...(stages === undefined ? {} : { stages }),
  };
}

/** A summary per stage that has samples (a stage nobody marked is left out rather than reported as zero). */
function summaries(samples: ReadonlyArray<readonly [PipelineStage, readonly number[]]>): Partial<Record<PipelineStage, LatencySummary>> {
  return Object.fromEntries(
    samples.filter(([, values]) => values.length > 0).map(([stage, values]) => [stage, rounded(latencySummary(values))]),
  );
}

function stageTime(times: Partial<Record<PipelineStage, number>>, stage: PipelineStage, since: number): number[] {
  const at = times[stage];
  return at === undefined ? [] : [at - since];
}

function rounded(summary: LatencySummary): LatencySummary {
  return { count: summary.count, p50: round(summary.p50), p95: round(summary.p95), p99: round(summary.p99), max: round(summary.max) };
}
