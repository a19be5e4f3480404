import { KnownVersions } from '../../src/stored-versions';
import { orderAt } from '../helpers/factories';

describe('KnownVersions', () => {
  const version = (seqNo: number) => ({ order: orderAt(1_700_000_000, seqNo), seqNo, primaryTerm: 1 });

  it('recalls what it was told per index and id, and forgets on request', () => {
    const known = new KnownVersions(10);
    known.remember('a-write', '1', version(1));
    known.remember('b-write', '1', version(2));
    expect(known.recall('a-write', '1')).toEqual(version(1));
    expect(known.recall('b-write', '1')).toEqual(version(2));
    known.forget('a-write', '1');
    expect(known.recall('a-write', '1')).toBeUndefined();
  });

  it('keeps at most its capacity per index, dropping the entry remembered longest ago first', () => {
    // given a capacity of 2 and 'x' remembered again after 'y'
    const known = new KnownVersions(2);
    known.remember('i', 'x', version(1));
    known.remember('i', 'y', version(2));
    known.remember('i', 'x', version(4));
    known.remember('other', 'w', version(5));
    // when a third id of the same index comes
    known.remember('i', 'z', version(3));
    // then 'y' went, and the other index kept its own
    expect(known.size).toBe(3);
    expect(known.recall('i', 'y')).toBeUndefined();
    expect(known.recall('i', 'x')).toEqual(version(4));
    expect(known.recall('i', 'z')).toEqual(version(3));
    expect(known.recall('other', 'w')).toEqual(version(5));
  });
});
