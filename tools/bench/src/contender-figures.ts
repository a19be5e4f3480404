import { EmptySampleError } from './errors';
import { round } from './stats';
import type { BatchTiming, ContenderPair, ContenderRun } from './types';

/** Lambda memory sizes whose cost `bench:peer` reports, MB. */
export const LAMBDA_MEMORY_MB = [512, 1024] as const;

/**
 * Lambda GB-seconds for a million records at `memoryMb`, given the billed milliseconds per record.
 *
 * @example
 * gbSecondsPerMillion(0.5, 1024); // 500: 1 GB × 0.5 ms × 1,000,000
 */
export function gbSecondsPerMillion(billedMsPerRecord: number, memoryMb: number): number {
  return (memoryMb / 1024) * (billedMsPerRecord / 1000) * 1_000_000;
}

/**
 * The figures of one contender on one workload, from its per-batch timings. The billed duration rounds each
 * invocation up to the millisecond, as Lambda does.
 *
 * @example
 * contenderRun([{ records: 100, wallMs: 49.2, cpuUs: 20_000, openSearchMs: 30, bulkRequests: 1, mgetRequests: 1, otherRequests: 0, redeliveries: 0 }]).cpuMsPer1k; // 200
 */
export function contenderRun(batches: readonly BatchTiming[]): ContenderRun {
  if (batches.length === 0) throw new EmptySampleError('a contender run');
  let records = 0;
  let wallMs = 0;
  let billedMs = 0;
  let cpuUs = 0;
  let openSearchMs = 0;
  for (const batch of batches) {
    records += batch.records;
    wallMs += batch.wallMs;
    billedMs += Math.ceil(batch.wallMs);
    cpuUs += batch.cpuUs;
    openSearchMs += batch.openSearchMs;
  }
  const billedMsPerRecord = billedMs / records;
  const [small, large] = LAMBDA_MEMORY_MB;
  return {
    records,
    recordsPerSecond: round((records / wallMs) * 1000),
    // µs per record and ms per 1,000 records are the same number.
    cpuMsPer1k: round(cpuUs / records),
    billedMsPerRecord: round(billedMsPerRecord),
    gbSecondsPerMillionAt512: round(gbSecondsPerMillion(billedMsPerRecord, small)),
    gbSecondsPerMillionAt1024: round(gbSecondsPerMillion(billedMsPerRecord, large)),
    openSearchMsPerBatch: round(openSearchMs / batches.length),
  };
}

/**
 * A pair of runs on identical batches; the ratio is ours ÷ peer in records/s (above 1: ours is faster).
 *
 * @example
 * contenderPair(1, 'ours', ours, peer).ratio;
 */
export function contenderPair(pair: number, first: 'ours' | 'peer', ours: ContenderRun, peer: ContenderRun): ContenderPair {
  return { pair, first, ours, peer, ratio: round(ours.recordsPerSecond / peer.recordsPerSecond) };
}
