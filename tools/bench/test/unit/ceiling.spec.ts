import { benchRouting } from '../../src/bench-definition';
import { ceilingRun, prebuildBulks } from '../../src/ceiling';
import { syntheticBatches } from '../../src/synthetic';
import { workloadFactory } from '../helpers/factories';

describe('prebuildBulks', () => {
  const routing = benchRouting('bench-reviews', { index: 'reviews' });

  it('carries one plain index action per document left after coalescing, into the write alias', () => {
    // given two batches
    const { events } = syntheticBatches(workloadFactory({ batches: 2 }));
    // when their bodies are pre-built
    const bulks = prebuildBulks(events, routing, 'reviews');
    // then each body holds exactly its documents as index actions with their source
    for (const bulk of bulks) {
      const lines = bulk.ndjson
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, { _index?: string; _id?: string }>);
      const headers = lines.filter((_, position) => position % 2 === 0);
      expect(headers).toHaveLength(bulk.documents);
      expect(headers.every((header) => header['index']?._index === 'reviews-write' && typeof header['index']._id === 'string')).toBe(true);
      expect(bulk.records).toBe(100);
      expect(bulk.documents).toBeLessThan(bulk.records);
    }
  });

  it('writes deletes as tombstones carrying the sync metadata', () => {
    const { events } = syntheticBatches(workloadFactory({ batches: 3 }));
    const sources = prebuildBulks(events, routing, 'reviews')
      .flatMap((bulk) =>
        bulk.ndjson
          .trimEnd()
          .split('\n')
          .filter((_, position) => position % 2 === 1),
      )
      .map((line) => JSON.parse(line) as { ddbSync: { deleted: boolean; order: string } });
    expect(sources.some((source) => source.ddbSync.deleted)).toBe(true);
    expect(sources.every((source) => typeof source.ddbSync.order === 'string')).toBe(true);
  });
});

describe('ceilingRun', () => {
  it('compares the indexer with the sequential ceiling on the same records', () => {
    const run = ceilingRun({ records: 1000, documents: 800 }, { sequentialMs: 500, parallelMs: 400, indexerMs: 1000 });
    expect(run).toEqual({
      ceilingRecordsPerSecond: 2000,
      ceilingDocumentsPerSecond: 1600,
      parallelCeilingRecordsPerSecond: 2500,
      indexerRecordsPerSecond: 1000,
      ratio: 0.5,
    });
  });
});
