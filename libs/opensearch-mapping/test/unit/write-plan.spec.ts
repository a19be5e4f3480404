import fc from 'fast-check';
import { DuplicateWriteError, InvalidOrderKeyError, MissingStoredStateError } from '../../src/errors';
import { coalesceWrites, planWrite, planWrites } from '../../src/write-plan';
import type { StoredVersion } from '../../src/write-plan';
import { aStoredVersion, snapshotKeyAt, streamKeyAt } from '../helpers/write-factories';

const older = streamKeyAt(1_700_000_000, 1n);
const newer = streamKeyAt(1_700_000_000, 2n);

describe('planWrite', () => {
  it('creates a document that does not exist', () => {
    const write = { id: 'a', order: newer };
    expect(planWrite(undefined, write)).toEqual({ kind: 'create', write });
  });

  it('overwrites an older stored version, conditioned on its seq_no and primary term', () => {
    // given a stored older version
    const stored = aStoredVersion({ order: older, seqNo: 12, primaryTerm: 3 });
    const write = { id: 'a', order: newer };
    // then the write is an index guarded by exactly that version
    expect(planWrite(stored, write)).toEqual({ kind: 'index-if', write, ifSeqNo: 12, ifPrimaryTerm: 3 });
  });

  it('skips when the stored version is newer (stale write)', () => {
    const write = { id: 'a', order: older };
    expect(planWrite(aStoredVersion({ order: newer }), write)).toEqual({ kind: 'skip', write, storedOrder: newer });
  });

  it('skips when the stored version is this very change (re-delivery)', () => {
    expect(planWrite(aStoredVersion({ order: newer }), { id: 'a', order: newer }).kind).toBe('skip');
  });

  it('skips an older write over a tombstone (no resurrection)', () => {
    // given a tombstone written by a delete in second 100
    const tombstone = aStoredVersion({ order: streamKeyAt(100, 5n) });
    // when a table read from before the delete arrives late
    const lateRead = { id: 'a', order: snapshotKeyAt(100_500) };
    // then it is skipped
    expect(planWrite(tombstone, lateRead).kind).toBe('skip');
  });

  it('overwrites a document without a valid ddbSync.order (not written by this scheme)', () => {
    const plan = planWrite(aStoredVersion({ order: undefined }), { id: 'a', order: older });
    expect(plan.kind).toBe('index-if');
    const junk = planWrite(aStoredVersion({ order: 'legacy-42' }), { id: 'a', order: older });
    expect(junk.kind).toBe('index-if');
  });

  it('rejects a malformed intended order key, naming the document', () => {
    expect(() => planWrite(undefined, { id: 'doc-9', order: '17' })).toThrow(InvalidOrderKeyError);
    expect(() => planWrite(undefined, { id: 'doc-9', order: '17' })).toThrow(/"doc-9"/);
  });

  it('writes exactly when the intended key is greater than the stored key', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.bigInt({ min: 1n, max: 50n }), fc.nat(1000), fc.bigInt({ min: 1n, max: 50n }), (s1, q1, s2, q2) => {
        const stored = aStoredVersion({ order: streamKeyAt(s1, q1) });
        const intended = { id: 'a', order: streamKeyAt(s2, q2) };
        const writes = intended.order > (stored.order ?? '');
        expect(planWrite(stored, intended).kind).toBe(writes ? 'index-if' : 'skip');
      }),
    );
  });
});

describe('planWrites', () => {
  it('plans every id against its own stored state, in input order', () => {
    // given three writes: absent, older stored, newer stored
    const writes = [
      { id: 'new', order: newer },
      { id: 'outdated', order: newer },
      { id: 'current', order: older },
    ];
    const stored = new Map<string, StoredVersion | undefined>([
      ['new', undefined],
      ['outdated', aStoredVersion({ order: older, seqNo: 4 })],
      ['current', aStoredVersion({ order: newer })],
    ]);
    // when
    const plans = planWrites(writes, stored);
    // then
    expect(plans.map((plan) => [plan.write.id, plan.kind])).toEqual([
      ['new', 'create'],
      ['outdated', 'index-if'],
      ['current', 'skip'],
    ]);
  });

  it('refuses two writes to the same id', () => {
    const writes = [
      { id: 'a', order: older },
      { id: 'a', order: newer },
    ];
    expect(() => planWrites(writes, new Map([['a', undefined]]))).toThrow(DuplicateWriteError);
  });

  it('refuses an id whose stored state was not read', () => {
    expect(() => planWrites([{ id: 'unread', order: older }], new Map())).toThrow(MissingStoredStateError);
    expect(() => planWrites([{ id: 'unread', order: older }], new Map())).toThrow(/"unread"/);
  });
});

describe('coalesceWrites', () => {
  it('keeps the newest write per id, whatever the arrival order', () => {
    // given a batch where an id appears three times out of order
    const writes = [
      { id: 'a', order: streamKeyAt(10, 2n), tag: 'middle' },
      { id: 'b', order: older, tag: 'only b' },
      { id: 'a', order: streamKeyAt(10, 3n), tag: 'newest' },
      { id: 'a', order: streamKeyAt(10, 1n), tag: 'oldest' },
    ];
    // when
    const coalesced = coalesceWrites(writes);
    // then
    expect(coalesced.map((write) => write.tag)).toEqual(['newest', 'only b']);
  });
});
