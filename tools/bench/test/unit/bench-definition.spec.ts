import { BENCH_SYNCS, benchIndexNamesFrom, benchIndexVariables, benchRouting, benchSyncs } from '../../src/bench-definition';
import { BenchError } from '../../src/errors';

describe("the bench's sync definition", () => {
  it('validates every bench sync, each on the chosen index with the demo table keys', () => {
    // when
    const syncs = benchSyncs({ index: 'bench-x', events: 'bench-x-ev' });

    // then
    expect(syncs.names).toEqual([...BENCH_SYNCS]);
    for (const sync of syncs.all()) {
      expect(sync.declaredKeyAttributes).toEqual(['pk', 'sk']);
      expect(sync.routes[0]?.index).toBe('bench-x');
    }
    expect(syncs.named('bench-chaos').routes.map((route) => route.index)).toEqual(['bench-x', 'bench-x-ev']);
  });

  it('maps the review sync strictly from the review schema and the schemaless sync dynamically', () => {
    // when
    const reviews = benchRouting('bench-reviews', { index: 'r' }).shapes.mappingsOf('r');
    const schemaless = benchRouting('bench-schemaless', { index: 's' }).shapes.mappingsOf('s');

    // then
    expect(reviews.dynamic).toBe('strict');
    expect(Object.keys(reviews.properties)).toEqual(expect.arrayContaining(['pk', 'sk', 'reviewId', 'body']));
    expect(schemaless.dynamic).toBe(true);
  });

  it('reads the index names the bench set, and refuses to guess them', () => {
    // given
    const variables = benchIndexVariables({ index: 'bench-y', events: 'bench-y-ev' });

    // when / then
    expect(benchIndexNamesFrom(variables)).toEqual({ index: 'bench-y', events: 'bench-y-ev' });
    expect(() => benchIndexNamesFrom({})).toThrow(BenchError);
    expect(() => benchIndexNamesFrom({})).toThrow(/BENCH_INDEX is not set/);
  });
});
