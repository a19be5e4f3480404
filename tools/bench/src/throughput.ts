import { EmptySampleError } from './errors';
import { round } from './stats';

/** One handler invocation, measured. */
export interface BatchTiming {
  readonly records: number;
  readonly wallMs: number;
  /** Process CPU (user + system) during the invocation, µs. */
  readonly cpuUs: number;
  /** Time with at least one OpenSearch request in flight. */
  readonly openSearchMs: number;
  readonly bulkRequests: number;
  readonly mgetRequests: number;
  readonly otherRequests: number;
}

/** The indexer's pure steps timed on their own over the same batches (`@ddb-os/stream-decoding`, `@ddb-os/indexing-core`). */
export interface StepTiming {
  readonly decodeMs: number;
  readonly decodeCpuUs: number;
  readonly planMs: number;
  readonly planCpuUs: number;
  /** Documents left after coalescing (what the bulk requests carry). */
  readonly documents: number;
}

/** The figures of one run (one configuration, all its batches). */
export interface ThroughputRun {
  readonly records: number;
  readonly documents: number;
  readonly batches: number;
  readonly wallMs: number;
  readonly recordsPerSecond: number;
  readonly cpuUsPerRecord: number;
  /** Decode, timed alone, per record. */
  readonly decodeUsPerRecord: number;
  /** Route, validate, derive ids and coalesce, timed alone, per record. */
  readonly planUsPerRecord: number;
  /** OpenSearch round trips (`_mget` + `_bulk`) per batch. */
  readonly openSearchMsPerBatch: number;
  /** Handler time not spent waiting for OpenSearch, per batch (decode, plan, building bodies, parsing responses). */
  readonly otherMsPerBatch: number;
  /** Share of handler wall time spent waiting for OpenSearch. */
  readonly openSearchShare: number;
  readonly requestsPerBatch: number;
}

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
  return {
    records,
    documents: steps.documents,
    batches: batches.length,
    wallMs: round(wallMs),
    recordsPerSecond: round((records / wallMs) * 1000),
    cpuUsPerRecord: round(sum('cpuUs') / records),
    decodeUsPerRecord: round(steps.decodeCpuUs / records),
    planUsPerRecord: round(steps.planCpuUs / records),
    openSearchMsPerBatch: round(openSearchMs / batches.length),
    otherMsPerBatch: round((wallMs - openSearchMs) / batches.length),
    openSearchShare: round(openSearchMs / wallMs),
    requestsPerBatch: round((sum('bulkRequests') + sum('mgetRequests') + sum('otherRequests')) / batches.length),
  };
}

/** The numeric figures of a run, for medians. */
export function numericFigures(run: ThroughputRun): Record<keyof ThroughputRun, number> {
  return { ...run };
}
