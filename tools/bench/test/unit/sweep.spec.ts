import { sweepConfigurations, type SweepPoint } from '../../src/sweep';

describe('sweepConfigurations', () => {
  it('measures every item size × batch size `runs` times in order, and keeps the runs, their medians and the last size', async () => {
    // Given two item sizes, one batch size and three runs
    const points: SweepPoint[] = [];
    const measure = async (point: SweepPoint) => {
      points.push(point);
      return { run: { rate: point.itemBytes + point.run * 10 }, size: { records: point.run } };
    };
    // When the sweep runs
    const configurations = await sweepConfigurations({ itemSizes: [1, 2], batchSizes: [100], runs: 3 }, measure);
    // Then each configuration was measured three times, one after the other
    expect(points.map((point) => `${point.itemBytes}/${point.batchSize}/${point.run}`)).toEqual([
      '1/100/1',
      '1/100/2',
      '1/100/3',
      '2/100/1',
      '2/100/2',
      '2/100/3',
    ]);
    expect(configurations).toEqual([
      { itemBytes: 1, batchSize: 100, records: 3, runs: [{ rate: 11 }, { rate: 21 }, { rate: 31 }], median: { rate: 21 } },
      { itemBytes: 2, batchSize: 100, records: 3, runs: [{ rate: 12 }, { rate: 22 }, { rate: 32 }], median: { rate: 22 } },
    ]);
  });
});
