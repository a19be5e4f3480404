import { EmptySampleError } from '../../src/errors';
import { latencySummary, median, medianOfRuns, percentile, round, withSpread } from '../../src/stats';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses an empty sample', () => {
    expect(() => median([])).toThrow(EmptySampleError);
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
  });

  it('rejects a percentile outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow('Option percentile 0 is invalid');
  });
});

describe('latencySummary', () => {
  it('reports p50, p95, p99, max and the count', () => {
    const summary = latencySummary([5, 1, 3, 2, 4]);
    expect(summary).toEqual({ count: 5, p50: 3, p95: 5, p99: 5, max: 5 });
  });
});

describe('medianOfRuns', () => {
  it('takes the median of every field over the runs', () => {
    expect(
      medianOfRuns([
        { rate: 10, cpu: 3 },
        { rate: 12, cpu: 1 },
        { rate: 11, cpu: 2 },
      ]),
    ).toEqual({ rate: 11, cpu: 2 });
  });
});

describe('round', () => {
  it('keeps whole numbers from 100 up and 3 significant digits below', () => {
    expect(round(1234.56)).toBe(1235);
    expect(round(12.3456)).toBe(12.3);
    expect(round(0.012345)).toBe(0.0123);
    expect(round(0)).toBe(0);
  });
});

describe('withSpread', () => {
  it('shows the median with the range, or the single value', () => {
    expect(withSpread([10, 30, 20])).toBe('20 (10–30)');
    expect(withSpread([7])).toBe('7');
  });
});
