import { mergeShards, shardsReadyToStart, shardStart } from '../../src/lineage';
import { shard } from '../helpers/factories';

const none = { finished: new Set<string>(), started: new Set<string>() };

describe('shardsReadyToStart', () => {
  it('starts roots first and holds children until their parent is finished', () => {
    // given a parent that split into two children, one of which split again
    const shards = [
      shard('child-a', { parent: 'root' }),
      shard('root', { closed: true }),
      shard('child-b', { parent: 'root' }),
      shard('grandchild', { parent: 'child-a' }),
    ];
    // when
    const first = shardsReadyToStart(shards, none);
    const whileRootRuns = shardsReadyToStart(shards, { finished: new Set(), started: new Set(['root']) });
    const afterRoot = shardsReadyToStart(shards, { finished: new Set(['root']), started: new Set(['root']) });
    // then
    expect(first.map((s) => s.shardId)).toEqual(['root']);
    expect(whileRootRuns).toEqual([]);
    expect(afterRoot.map((s) => s.shardId)).toEqual(['child-a', 'child-b']);
  });

  it('starts a child whose parent is no longer described (trimmed away)', () => {
    // given
    const shards = [shard('child', { parent: 'gone' })];
    // when
    const ready = shardsReadyToStart(shards, none);
    // then
    expect(ready.map((s) => s.shardId)).toEqual(['child']);
  });

  it('never restarts a started or finished shard', () => {
    // given
    const shards = [shard('a'), shard('b'), shard('c')];
    // when
    const ready = shardsReadyToStart(shards, { finished: new Set(['a']), started: new Set(['b']) });
    // then
    expect(ready.map((s) => s.shardId)).toEqual(['c']);
  });
});

describe('mergeShards', () => {
  it('keeps known shards, adds new ones and records that a shard closed', () => {
    // given
    const known = [shard('a'), shard('b')];
    // when
    const merged = mergeShards(known, [shard('a', { closed: true }), shard('c', { parent: 'a' })]);
    // then
    expect(merged.map((s) => [s.shardId, s.endingSequenceNumber])).toEqual([
      ['a', '999'],
      ['b', undefined],
      ['c', undefined],
    ]);
  });
});

describe('shardStart', () => {
  const base = { checkpoint: undefined, startPosition: 'TRIM_HORIZON' as const, streamIsNew: true, describedAtStartup: true };

  it('resumes after the checkpoint whatever the start position', () => {
    // when
    const start = shardStart(shard('a'), { ...base, checkpoint: '123', startPosition: 'LATEST' });
    // then
    expect(start).toEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '123' });
  });

  it('uses LATEST for open shards of a new stream and skips its closed shards', () => {
    // when
    const open = shardStart(shard('a'), { ...base, startPosition: 'LATEST' });
    const closed = shardStart(shard('b', { closed: true }), { ...base, startPosition: 'LATEST' });
    // then
    expect(open).toEqual({ type: 'LATEST' });
    expect(closed).toEqual({ type: 'skip' });
  });

  it('reads shards created after startup from TRIM_HORIZON even with LATEST, so a split loses nothing', () => {
    // when
    const start = shardStart(shard('child', { parent: 'a' }), { ...base, startPosition: 'LATEST', describedAtStartup: false });
    // then
    expect(start).toEqual({ type: 'TRIM_HORIZON' });
  });

  it('reads uncheckpointed shards of a known stream from TRIM_HORIZON', () => {
    // when
    const start = shardStart(shard('a'), { ...base, startPosition: 'LATEST', streamIsNew: false });
    // then
    expect(start).toEqual({ type: 'TRIM_HORIZON' });
  });
});
