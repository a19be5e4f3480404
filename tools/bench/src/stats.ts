import { EmptySampleError, InvalidBenchOptionError } from './errors';
import type { LatencySummary } from './types';

/**
 * The median (mean of the two middle values for an even count).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new EmptySampleError('the median');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Nearest-rank percentile: the smallest value with at least `p` % of the sample at or below it.
 *
 * @example
 * percentile([10, 20, 30, 40], 50); // 20
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new EmptySampleError(`the ${p}th percentile`);
  if (!(p > 0 && p <= 100)) throw new InvalidBenchOptionError('percentile', p, 'a number in (0, 100]');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

/**
 * Summarises a latency sample.
 *
 * @example
 * latencySummary([120, 130, 900]).p50; // 130
 */
export function latencySummary(values: readonly number[]): LatencySummary {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  };
}

/**
 * The median of each numeric field over runs of the same shape (how every reported figure is taken).
 *
 * @example
 * medianOfRuns([{ rate: 10 }, { rate: 12 }, { rate: 11 }]); // { rate: 11 }
 */
export function medianOfRuns<K extends string>(runs: readonly Readonly<Record<K, number>>[]): Record<K, number> {
  const first = runs[0];
  if (first === undefined) throw new EmptySampleError('the median of runs');
  const fields = Object.keys(first) as K[];
  return Object.fromEntries(fields.map((field) => [field, median(runs.map((run) => run[field]))])) as Record<K, number>;
}

/**
 * Rounds a figure for reports: whole numbers from 100 up, 3 significant digits below.
 *
 * @example
 * round(1234.56); // 1235
 * round(0.012345); // 0.0123
 */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  const factor = 10 ** (2 - Math.floor(Math.log10(Math.abs(value))));
  return Math.round(value * factor) / factor;
}

/**
 * "median (min–max)" of a figure over runs, for tables: the spread shows how noisy the machine was.
 *
 * @example
 * withSpread([10, 30, 20]); // '20 (10–30)'
 */
export function withSpread(values: readonly number[]): string {
  if (values.length < 2) return String(round(median(values)));
  return `${round(median(values))} (${round(Math.min(...values))}–${round(Math.max(...values))})`;
}
