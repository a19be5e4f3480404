import type { Prng } from '../types';

/** A fault the harness injects (through the fault proxy, or by stopping a process). */
export type ChaosFault =
  /** `_bulk` answered 429 (back-pressure) for the next `times` requests. */
  | { readonly kind: 'throttle'; readonly times: number }
  /** Any request answered with a 5xx for the next `times` requests. */
  | { readonly kind: 'server-error'; readonly status: 500 | 502 | 503 | 504; readonly times: number }
  /** The next `_bulk` never answered (the client times out); released after `holdMs`. */
  | { readonly kind: 'timeout'; readonly holdMs: number }
  /** The next `times` `_mget` requests delayed by `ms`. */
  | { readonly kind: 'slow'; readonly ms: number; readonly times: number }
  /** Some documents of the next `_bulk` that holds them fail with `status`; with `keepInRequest` OpenSearch applied them (lost acknowledgement). */
  | { readonly kind: 'bulk-items'; readonly status: 429 | 503; readonly count: number; readonly keepInRequest: boolean }
  /** Every request answered 503 (or never answered) for `durationMs`: OpenSearch unreachable as the client sees it. */
  | { readonly kind: 'outage'; readonly mode: 'status-503' | 'hang'; readonly durationMs: number }
  /** The stream runner stopped (abruptly: in-flight invocation abandoned without checkpoint) and a new one started on the same checkpoint file after `downMs`. */
  | { readonly kind: 'runner-restart'; readonly abrupt: boolean; readonly downMs: number }
  /** OpenSearch killed (SIGKILL) and restarted after `downMs`. */
  | { readonly kind: 'opensearch-kill'; readonly downMs: number };

/** A fault and when to inject it (ms after the workload starts). */
export interface FaultEvent {
  readonly atMs: number;
  readonly fault: ChaosFault;
}

/** Options of `faultSchedule`. */
export interface ScheduleOptions {
  /** Planned duration of the workload. */
  readonly durationMs: number;
  /** Kill and restart OpenSearch once (the full run). */
  readonly killOpenSearch: boolean;
  /** Mean pause between two small faults. */
  readonly meanGapMs: number;
}

/**
 * The faults of a run: fixed milestones (a client-visible outage long enough for Lambda-style retries to give
 * up, a short hang, two runner restarts, optionally an OpenSearch crash) plus random small faults all along.
 * Sorted by time; the same seed gives the same schedule.
 *
 * @example
 * faultSchedule(createPrng(1), { durationMs: 40_000, killOpenSearch: false, meanGapMs: 2_000 });
 */
export function faultSchedule(random: Prng, options: ScheduleOptions): FaultEvent[] {
  const at = (share: number) => Math.round(options.durationMs * share);
  const events: FaultEvent[] = [
    { atMs: at(0.3), fault: { kind: 'outage', mode: 'status-503', durationMs: 7_000 } },
    { atMs: at(0.45), fault: { kind: 'runner-restart', abrupt: true, downMs: 1_500 } },
    { atMs: at(0.6), fault: { kind: 'outage', mode: 'hang', durationMs: 3_000 } },
    { atMs: at(0.75), fault: { kind: 'runner-restart', abrupt: false, downMs: 1_000 } },
  ];
  if (options.killOpenSearch) events.push({ atMs: at(0.4), fault: { kind: 'opensearch-kill', downMs: 5_000 } });
  for (let time = at(0.05) + random.int(options.meanGapMs); time < at(0.9); time += Math.round(options.meanGapMs * (0.5 + random.next()))) {
    events.push({ atMs: time, fault: smallFault(random) });
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}

function smallFault(random: Prng): ChaosFault {
  switch (random.int(5)) {
    case 0:
      return { kind: 'throttle', times: 1 + random.int(3) };
    case 1:
      return { kind: 'server-error', status: random.pick([500, 502, 503, 504] as const), times: 1 + random.int(3) };
    case 2:
      return { kind: 'timeout', holdMs: 4_000 };
    case 3:
      return { kind: 'slow', ms: 500 + random.int(1_500), times: 1 + random.int(2) };
    default:
      return { kind: 'bulk-items', status: random.pick([429, 503] as const), count: 1 + random.int(5), keepInRequest: random.chance(0.5) };
  }
}
