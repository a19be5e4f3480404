import { gbSecondsPerMillion, LAMBDA_MEMORY_MB } from './contender-figures';
import { EmptySampleError } from './errors';
import { round } from './stats';
import type { BatchTiming, StepTiming, ThroughputRun } from './types';

/**
 * Turns the measurements of one run into its figures.
 *
 * @example
 * throughputRun([{ records: 100, wallMs: 50, cpuUs: 20_000, openSearchMs: 40, bulkRequests: 1, mgetRequests: 1, otherRequests: 0 }],
 *   { decodeMs: 2, decodeCpuUs: 2_000, planMs: 1, planCpuUs: 1_000, documents: 80 });
 */
export function throughputRun(batches: readonly BatchTiming[], steps: StepTiming): ThroughputRun {
  if (batches.length === 0) throw new EmptySampleError('a throughput run');
  const sum = (field: keyof BatchTiming) => batches.reduce((total, batch) => total + batch[field], 0);
  const records = sum('records');
  const wallMs = sum('wallMs');
  const openSearchMs = sum('openSearchMs');
  // Lambda bills each invocation's duration rounded up to the millisecond.
  const billedMsPerRecord = batches.reduce((total, batch) => total + Math.ceil(batch.wallMs), 0) / records;
  const [small, large] = LAMBDA_MEMORY_MB;
  return {
    records,
    documents: steps.documents,
    batches: batches.length,
    wallMs: round(wallMs),
    recordsPerSecond: round((records / wallMs) * 1000),
    cpuUsPerRecord: round(sum('cpuUs') / records),
    billedMsPerRecord: round(billedMsPerRecord),
    gbSecondsPerMillionAt512: round(gbSecondsPerMillion(billedMsPerRecord, small)),
    gbSecondsPerMillionAt1024: round(gbSecondsPerMillion(billedMsPerRecord, large)),
    decodeUsPerRecord: round(steps.decodeCpuUs / records),
    planUsPerRecord: round(steps.planCpuUs / records),
    openSearchMsPerBatch: round(openSearchMs / batches.length),
    otherMsPerBatch: round((wallMs - openSearchMs) / batches.length),
    openSearchShare: round(openSearchMs / wallMs),
    requestsPerBatch: round((sum('bulkRequests') + sum('mgetRequests') + sum('otherRequests')) / batches.length),
    redeliveries: sum('redeliveries'),
  };
}

/** The numeric figures of a run, for medians. */
export function numericFigures(run: ThroughputRun): Record<keyof ThroughputRun, number> {
  return { ...run };
}
