import { benchRss } from '../../src/backfill-rss';

jest.setTimeout(300_000);

describe('memory of a backfill as the table grows', () => {
  it('loads eight times more data under the same small heap cap, with a flat peak RSS', async () => {
    // given: exports of 16 MB and 128 MB of items (an export fills far faster than moto), each backfill in a child
    // whose V8 heap is capped at 96 MB: a loader holding the larger table even once would die
    const lines: string[] = [];
    // when
    const [small, large] = await benchRss(
      {
        source: 'export',
        items: [4_000, 32_000],
        payloadBytes: 4_000,
        segments: 4,
        concurrency: 4,
        pageSize: 200,
        maxOldSpaceSize: 96,
        verify: false,
      },
      (line) => lines.push(line),
    );
    // then: both runs indexed everything, and the larger one needed at most a fraction of the extra data in memory
    expect(small?.indexed).toBe(4_000);
    expect(large?.indexed).toBe(32_000);
    const dataGrowthMb = ((large?.tableBytes ?? 0) - (small?.tableBytes ?? 0)) / (1024 * 1024);
    const rssGrowthMb = (large?.peakRssMb ?? 0) - (small?.peakRssMb ?? 0);
    expect(dataGrowthMb).toBeGreaterThan(100);
    expect(rssGrowthMb).toBeLessThan(dataGrowthMb / 2);
    expect(lines.at(-1)).toContain('peak RSS MB');
  });
});
