import { killOpenSearch, restartOpenSearch, type FaultProxy } from '../local';
import { sleep } from '../timing';
import type { RunnerControl } from './runner-control';
import type { ChaosFault } from './schedule';
import type { Prng } from '../types';

/** Faults injected, by kind. */
export type FaultCounts = Record<ChaosFault['kind'], number> & { openSearchKillsSkipped: number };

/** Everything a fault can act on. */
export interface FaultTargets {
  readonly proxy: FaultProxy;
  readonly runner: RunnerControl;
  readonly random: Prng;
  /** Document ids of the workload (bulk-item faults pick among them). */
  readonly documentIds: readonly string[];
  /** The real OpenSearch endpoint (restarted there after a crash). */
  readonly openSearchNode: string;
  readonly log: (line: string) => void;
}

/** An empty tally. */
export function noFaults(): FaultCounts {
  return {
    throttle: 0,
    'server-error': 0,
    timeout: 0,
    slow: 0,
    'bulk-items': 0,
    outage: 0,
    'runner-restart': 0,
    'opensearch-kill': 0,
    openSearchKillsSkipped: 0,
  };
}

/**
 * Injects one fault; resolves when it is over (rules removed, runner restarted, OpenSearch healthy again).
 * Rules limited by `times` retire by themselves once used.
 */
export async function injectFault(fault: ChaosFault, targets: FaultTargets, counts: FaultCounts): Promise<void> {
  const { proxy } = targets;
  counts[fault.kind] += 1;
  switch (fault.kind) {
    case 'throttle':
      proxy.addRule({ match: { path: '_bulk' }, fault: { kind: 'status', status: 429 }, times: fault.times });
      return;
    case 'server-error':
      proxy.addRule({ fault: { kind: 'status', status: fault.status }, times: fault.times });
      return;
    case 'slow':
      proxy.addRule({ match: { path: '_mget' }, fault: { kind: 'delay', ms: fault.ms }, times: fault.times });
      return;
    case 'timeout': {
      const rule = proxy.addRule({ match: { path: '_bulk' }, fault: { kind: 'hang' }, times: 1 });
      await sleep(fault.holdMs);
      rule.remove();
      return;
    }
    case 'bulk-items': {
      const ids = Array.from({ length: fault.count }, () => targets.random.pick(targets.documentIds));
      const rule = proxy.addRule({
        fault: { kind: 'bulk-items', status: fault.status, ids, keepInRequest: fault.keepInRequest },
        times: 1,
      });
      // A rule whose ids never come up must not linger into the drain.
      await sleep(10_000);
      rule.remove();
      return;
    }
    case 'outage': {
      targets.log(`outage: every OpenSearch request ${fault.mode === 'hang' ? 'hangs' : 'gets 503'} for ${fault.durationMs} ms`);
      const rule = proxy.addRule({ fault: fault.mode === 'hang' ? { kind: 'hang' } : { kind: 'status', status: 503 } });
      await sleep(fault.durationMs);
      rule.remove();
      return;
    }
    case 'runner-restart':
      targets.log(`runner: ${fault.abrupt ? 'abrupt' : 'graceful'} stop, new runner on the same checkpoint file in ${fault.downMs} ms`);
      await targets.runner.restart(fault.downMs, sleep);
      return;
    case 'opensearch-kill':
      return crashOpenSearch(fault.downMs, targets, counts);
  }
}

async function crashOpenSearch(downMs: number, targets: FaultTargets, counts: FaultCounts): Promise<void> {
  const pid = killOpenSearch();
  if (pid === undefined) {
    counts['opensearch-kill'] -= 1;
    counts.openSearchKillsSkipped += 1;
    targets.log('OpenSearch was not started by the local stack: cannot kill it; a proxy outage stands in');
    await injectFault({ kind: 'outage', mode: 'status-503', durationMs: downMs }, targets, counts);
    return;
  }
  targets.log(`OpenSearch killed (SIGKILL to process group ${pid}); restarting in ${downMs} ms`);
  await sleep(downMs);
  const start = Date.now();
  await restartOpenSearch(targets.openSearchNode);
  targets.log(`OpenSearch healthy again after ${Math.round((Date.now() - start) / 1000)} s`);
}
