import type { FaultCounters } from '../local';
import { markdownTable, resultMarkdown } from '../report';
import type { Comparison } from './compare';
import type { DrainCounters } from './failure-drain';
import type { FaultCounts } from './faults';
import type { PoisonArchiveCount } from './poison-archive';
import type { RunnerCounters } from './runner-control';
import type { BenchEnvelope } from '../types';

/** Options of a chaos run. */
export interface ChaosOptions {
  readonly mode: 'full' | 'reduced';
  readonly seed: number;
  /** Random operations (poison items and their fixes come on top). */
  readonly operations: number;
  /** Operations per second. */
  readonly rate: number;
  readonly keys: number;
  /** Poison items (half products refused by the schema, half events refused by OpenSearch). */
  readonly poison: number;
  /** Kill and restart OpenSearch once (full run; needs an OpenSearch started by the local stack). */
  readonly killOpenSearch: boolean;
  /** Mean pause between two small faults. */
  readonly faultGapMs: number;
  readonly drainTimeoutMs: number;
  /** Keep the table, indexes, queues and bucket for inspection. */
  readonly keepResources: boolean;
  /** The command line recorded in the report. */
  readonly command: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
  readonly log: (line: string) => void;
}

/** What the workload did to the table. */
export interface ChaosWorkloadCounts {
  operations: number;
  puts: number;
  updates: number;
  deletes: number;
  poison: number;
  poisonFixed: number;
  /** Updates of an item deleted meanwhile (refused by their condition: nothing written). */
  conditionalMisses: number;
  /** Operations DynamoDB refused after the SDK's retries (the table stays the reference anyway). */
  failedOperations: number;
}

/** The `replay run --json` summary. */
export interface ReplaySummary {
  readonly exitCode: number;
  readonly objects: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Items the replayed objects touched. */
  readonly items: number;
  readonly indexed: number;
  readonly deleted: number;
  readonly stale: number;
  readonly skipped: number;
  readonly failed: number;
  /** Why items failed, by reason (the ten most frequent), as replay reported them. */
  readonly failureReasons: Readonly<Record<string, number>>;
}

/** The report of a chaos run (`docs/benchmarks/chaos.json`). */
export interface ChaosReport extends BenchEnvelope {
  readonly seed: number;
  readonly mode: 'full' | 'reduced';
  readonly workload: ChaosWorkloadCounts & { readonly keys: number; readonly touchedKeys: number; readonly plannedRatePerSecond: number };
  readonly faults: { readonly scheduled: number; readonly injected: FaultCounts; readonly proxy: FaultCounters };
  readonly runner: RunnerCounters;
  /**
   * `poisonArchived`: where each poison record was archived, read from the archive before replay (a DLQ
   * poison-record object, or a batch the runner gave up; which one depends on timing, that each is archived does not).
   * `replay` lists each pass of `replay run`: objects that fail stay in the archive and the next pass retries them (as the runbook says: re-running is safe).
   */
  readonly failurePath: {
    readonly dlq: DrainCounters;
    readonly onFailure: DrainCounters;
    readonly poisonArchived: PoisonArchiveCount;
    readonly replay: readonly ReplaySummary[];
  };
  readonly result: Comparison & { readonly parked: number };
  readonly timings: {
    readonly workloadMs: number;
    readonly drainMs: number;
    readonly replayMs: number;
    readonly verifyMs: number;
    readonly totalMs: number;
  };
  /** lost = stale = resurrected = 0 and the last replay pass left nothing failed. */
  readonly passed: boolean;
}

/**
 * The Markdown companion of a chaos report.
 *
 * @example
 * chaosMarkdown(report);
 */
export function chaosMarkdown(report: ChaosReport): string {
  const { result, workload, faults, runner, failurePath } = report;
  const injected = Object.entries(faults.injected)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return resultMarkdown(report, `Chaos run (${report.mode})`, [
    `Seed ${report.seed}. **${report.passed ? 'Passed' : 'FAILED'}: lost ${result.lost}, stale ${result.stale}, resurrected ${result.resurrected}, parked ${result.parked}** over ${result.checked} keys (${result.liveItems} live items, ${result.deletedKeys} deleted keys).`,
    markdownTable(
      ['what', 'count'],
      [
        ['operations (put / update / delete)', `${workload.operations} (${workload.puts} / ${workload.updates} / ${workload.deletes})`],
        ['poison items sent / fixed by a later put', `${workload.poison} / ${workload.poisonFixed}`],
        ['faults injected', injected],
        [
          'requests through the fault proxy / answered by a fault',
          `${faults.proxy.requests} / ${faults.proxy.injected.status + faults.proxy.injected.hang + faults.proxy.injected.bulkItems} (+${faults.proxy.injected.delay} delayed)`,
        ],
        [
          'runner invocations / failed / partial / retries',
          `${runner.invocations} / ${runner.failedInvocations} / ${runner.partialBatches} / ${runner.retries}`,
        ],
        ['batches given up → on-failure queue', runner.onFailureRecords],
        ['runner restarts', runner.restarts],
        ['DLQ messages archived / on-failure messages archived', `${failurePath.dlq.succeeded} / ${failurePath.onFailure.succeeded}`],
        [
          'poison records archived: in all / as DLQ poison records / in given-up batches',
          `${failurePath.poisonArchived.total} of ${workload.poison} / ${failurePath.poisonArchived.dlq} / ${failurePath.poisonArchived.givenUpBatch}${failurePath.poisonArchived.missing.length > 0 ? ` (missing: ${failurePath.poisonArchived.missing.join(', ')})` : ''}`,
        ],
        ...failurePath.replay.map((pass, position) => [
          `replay pass ${position + 1}: objects / items / indexed / deleted / already newer / failed`,
          `${pass.objects} / ${pass.items} / ${pass.indexed} / ${pass.deleted} / ${pass.stale} / ${pass.failed}${
            pass.failed > 0
              ? ` (${Object.entries(pass.failureReasons)
                  .map(([reason, count]) => `${count}× ${reason}`)
                  .join('; ')})`
              : ''
          }`,
        ]),
        [
          'time: workload / drain / replay / verify (s)',
          `${sec(report.timings.workloadMs)} / ${sec(report.timings.drainMs)} / ${sec(report.timings.replayMs)} / ${sec(report.timings.verifyMs)}`,
        ],
      ],
    ),
  ]);
}

function sec(ms: number): number {
  return Math.round(ms / 100) / 10;
}
