import fc from 'fast-check';
import { InvalidOrderKeyError } from '../../src/errors';
import { planWrite } from '../../src/write-plan';
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
