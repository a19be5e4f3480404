import { medianOfRuns } from './stats';
import type { SweepConfiguration, SweepOptions } from './types';

/** One measurement of a sweep: which configuration, which run of it. */
export interface SweepPoint {
  readonly itemBytes: number;
  readonly batchSize: number;
  readonly run: number;
}

/** What one measurement gives: the run's figures and the size of what it measured (the same for every run). */
export interface SweepMeasurement<Run, Size> {
  readonly run: Run;
  readonly size: Size;
}

/**
 * Measures every item size × batch size `runs` times, one after the other, and gives each configuration its runs,
 * their medians and its size (as the last run measured it).
 *
 * @example
 * const configurations = await sweepConfigurations(options, async ({ itemBytes, batchSize, run }) => ({ run: await measure(itemBytes, batchSize), size: {} }));
 */
export async function sweepConfigurations<Run extends { readonly [K in keyof Run]: number }, Size extends object>(
  options: Pick<SweepOptions, 'itemSizes' | 'batchSizes'> & { readonly runs: number },
  measure: (point: SweepPoint) => Promise<SweepMeasurement<Run, Size>>,
): Promise<Array<SweepConfiguration<Run> & Size>> {
  const configurations: Array<SweepConfiguration<Run> & Size> = [];
  for (const itemBytes of options.itemSizes) {
    for (const batchSize of options.batchSizes) {
      const measurements: SweepMeasurement<Run, Size>[] = [];
      for (let run = 1; run <= options.runs; run += 1) measurements.push(await measure({ itemBytes, batchSize, run }));
      const runs = measurements.map((measurement) => measurement.run);
      const size = measurements[measurements.length - 1]?.size as Size;
      configurations.push({
        itemBytes,
        batchSize,
        ...size,
        runs,
        median: medianOfRuns<keyof Run & string>(runs) as Record<keyof Run, number>,
      });
    }
  }
  return configurations;
}
