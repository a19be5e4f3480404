import type { BatchTiming, StepTiming, SyntheticWorkload } from '../../src/types';

/** A small synthetic workload; override what a test is about. */
export function workloadFactory(overrides: Partial<SyntheticWorkload> = {}): SyntheticWorkload {
  return {
    seed: 42,
    batches: 3,
    batchSize: 100,
    itemBytes: 1024,
    updateShare: 0.3,
    deleteShare: 0.1,
    hotKeys: 10,
    keyPrefix: 'test',
    firstSequenceNumber: 1_000n,
    createdAtSeconds: 1_790_000_000,
    ...overrides,
  };
}

/** One measured invocation. */
export function batchTimingFactory(overrides: Partial<BatchTiming> = {}): BatchTiming {
  return {
    records: 100,
    wallMs: 50,
    cpuUs: 20_000,
    openSearchMs: 40,
    bulkRequests: 1,
    mgetRequests: 1,
    otherRequests: 0,
    redeliveries: 0,
    ...overrides,
  };
}

/** Step timings over a run. */
export function stepTimingFactory(overrides: Partial<StepTiming> = {}): StepTiming {
  return { decodeMs: 2, decodeCpuUs: 2_000, planMs: 1, planCpuUs: 1_000, documents: 80, ...overrides };
}
