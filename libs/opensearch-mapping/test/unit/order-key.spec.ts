import fc from 'fast-check';
import { OrderKeyInputError } from '../../src/errors';
import { isOrderKey, snapshotOrderKey, streamOrderKey, type OrderKey } from '../../src/order-key';
import { aChange, snapshotKeyAt, streamKeyAt } from '../helpers/write-factories';

const second = fc.integer({ min: 0, max: 999_999_999_999 });
const sequence = fc.bigInt({ min: 1n, max: 10n ** 40n - 1n });
const version = fc.bigInt({ min: 0n, max: 10n ** 40n - 1n });
const sign = (n: number | bigint): number => (n > 0 ? 1 : n < 0 ? -1 : 0);
/** Keys compare as plain strings, as the writers compare them (`planWrite`'s `>=`): that is the property under test. */
const compareOrderKeys = (a: OrderKey, b: OrderKey): number => (a === b ? 0 : a < b ? -1 : 1);
const compareTuples = (a: readonly bigint[], b: readonly bigint[]): number => {
  for (let i = 0; i < a.length; i += 1) {
    const difference = sign((a[i] ?? 0n) - (b[i] ?? 0n));
    if (difference !== 0) return difference;
  }
  return 0;
};

describe('streamOrderKey (time mode)', () => {
  it('orders keys exactly as (second, sequence number) tuples', () => {
    fc.assert(
      fc.property(second, sequence, second, sequence, (secondA, sequenceA, secondB, sequenceB) => {
        // given two stream records
        const keyA = streamKeyAt(secondA, sequenceA);
        const keyB = streamKeyAt(secondB, sequenceB);
        // then string order is tuple order
        expect(sign(compareOrderKeys(keyA, keyB))).toBe(compareTuples([BigInt(secondA), sequenceA], [BigInt(secondB), sequenceB]));
      }),
    );
  });

  it('builds fixed-width keys: S, 12-digit second, rank 1, 40-digit sequence number', () => {
    // given a change
    const change = aChange({ approximateCreationSeconds: 1_700_000_000, sequenceNumber: '4200' });
    // when
    const key = streamOrderKey(change);
    // then
    expect(key).toBe(`S001700000000${'1'}${'4200'.padStart(40, '0')}`);
    expect(key).toHaveLength(54);
    expect(isOrderKey(key)).toBe(true);
  });

  it('depends on the record alone, not on the batch or event name', () => {
    // given the same record seen in two batches, and a REMOVE with the same position
    const modify = aChange();
    const remove = aChange({ eventName: 'REMOVE', newImage: undefined });
    // then the keys are equal (a retried record never gets a lower key)
    expect(streamOrderKey({ ...modify })).toBe(streamOrderKey(modify));
    expect(streamOrderKey(remove)).toBe(streamOrderKey(modify));
  });

  it.each([
    ['a non-digit sequence number', { sequenceNumber: '12a4' }, 'sequenceNumber'],
    ['an empty sequence number', { sequenceNumber: '' }, 'sequenceNumber'],
    ['a 41-digit sequence number', { sequenceNumber: '1'.repeat(41) }, 'sequenceNumber'],
    ['a negative second', { approximateCreationSeconds: -1 }, 'approximateCreationSeconds'],
    ['a fractional second', { approximateCreationSeconds: 1.5 }, 'approximateCreationSeconds'],
    ['a 13-digit second', { approximateCreationSeconds: 10 ** 12 }, 'approximateCreationSeconds'],
  ])('rejects %s, naming the field', (_label, overrides, field) => {
    // when computing the key of a bad change, then the error names the field
    const compute = (): string => streamOrderKey(aChange(overrides));
    expect(compute).toThrow(OrderKeyInputError);
    expect(compute).toThrow(`"${field}"`);
  });
});

describe('snapshotOrderKey (time mode)', () => {
  const readAtMs = Date.parse('2024-01-01T00:00:00.900Z');
  const readSecond = Math.floor(readAtMs / 1000);

  it('builds S, (read second − safety), rank 0, 40 zeros', () => {
    expect(snapshotKeyAt(readAtMs, 2)).toBe(`S00${readSecond - 2}0${'0'.repeat(40)}`);
  });

  it('loses to every stream record of its own second and later seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), sequence, (secondsAfter, seq) => {
        // given a change made in the snapshot key's second or later
        const change = streamKeyAt(readSecond - 2 + secondsAfter, seq);
        // then the change wins over the table read
        expect(compareOrderKeys(change, snapshotKeyAt(readAtMs, 2))).toBeGreaterThan(0);
      }),
    );
  });

  it('wins over stream records of earlier seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), sequence, (secondsBefore, seq) => {
        const change = streamKeyAt(readSecond - 2 - secondsBefore, seq);
        expect(compareOrderKeys(snapshotKeyAt(readAtMs, 2), change)).toBeGreaterThan(0);
      }),
    );
  });

  it('never overwrites a change it missed while the reader clock is ahead by up to the safety margin', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 5000 }),
        sequence,
        (readerClockMs, skewMs, changeDelayMs, seq) => {
          // given DynamoDB's clock behind the reader's by skewMs ≤ safety, and a change after the read
          const changeSecond = Math.floor((readerClockMs - skewMs + changeDelayMs) / 1000);
          // then the change's key is greater than the read's
          expect(compareOrderKeys(streamKeyAt(changeSecond, seq), snapshotKeyAt(readerClockMs, 2))).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('gives an absent item (tombstone) the same key as a present one', () => {
    expect(snapshotOrderKey(readAtMs, undefined, { safetySeconds: 2 })).toBe(snapshotKeyAt(readAtMs, 2));
  });

  it.each([
    ['a negative read time', -1, 2, 'readAtMs'],
    ['a NaN read time', Number.NaN, 2, 'readAtMs'],
    ['a negative safety margin', readAtMs, -1, 'safetySeconds'],
    ['a fractional safety margin', readAtMs, 0.5, 'safetySeconds'],
    ['a safety margin before the epoch', 1000, 2, 'readAtMs - safetySeconds'],
  ])('rejects %s, naming the field', (_label, at, safetySeconds, field) => {
    const compute = (): string => snapshotOrderKey(at, { pk: 'a' }, { safetySeconds });
    expect(compute).toThrow(OrderKeyInputError);
    expect(compute).toThrow(`"${field}"`);
  });
});

describe('order keys with an application version attribute', () => {
  const options = { versionAttribute: 'version' };
  const put = (v: bigint | number | string, seq: string): string =>
    streamOrderKey(
      aChange({ eventName: 'MODIFY', sequenceNumber: seq, newImage: { pk: 'a', version: typeof v === 'bigint' ? String(v) : v } }),
      options,
    );
  const remove = (v: bigint | number | string, seq: string): string =>
    streamOrderKey(
      aChange({
        eventName: 'REMOVE',
        sequenceNumber: seq,
        newImage: undefined,
        oldImage: { pk: 'a', version: typeof v === 'bigint' ? String(v) : v },
      }),
      options,
    );

  it('orders keys exactly as (version, rank, sequence number) tuples', () => {
    fc.assert(
      fc.property(version, fc.boolean(), sequence, version, fc.boolean(), sequence, (vA, deleteA, seqA, vB, deleteB, seqB) => {
        const keyA = deleteA ? remove(vA, String(seqA)) : put(vA, String(seqA));
        const keyB = deleteB ? remove(vB, String(seqB)) : put(vB, String(seqB));
        const tupleA = [vA, deleteA ? 1n : 0n, seqA];
        const tupleB = [vB, deleteB ? 1n : 0n, seqB];
        expect(sign(compareOrderKeys(keyA, keyB))).toBe(compareTuples(tupleA, tupleB));
      }),
    );
  });

  it('orders a delete after the put of the same version, whatever the sequence numbers', () => {
    // given a put of version 7 and its delete (the delete carries the OldImage version)
    // then the delete wins even with a smaller sequence number (e.g. across shards)
    expect(compareOrderKeys(remove(7, '100'), put(7, '900'))).toBeGreaterThan(0);
    // and a re-create with a higher version wins over the delete
    expect(compareOrderKeys(put(8, '1'), remove(7, '999'))).toBeGreaterThan(0);
  });

  it('ignores clocks: a higher version wins even from an earlier second', () => {
    const early = streamOrderKey(aChange({ approximateCreationSeconds: 1, newImage: { version: 5 } }), options);
    const late = streamOrderKey(aChange({ approximateCreationSeconds: 2_000_000_000, newImage: { version: 4 } }), options);
    expect(compareOrderKeys(early, late)).toBeGreaterThan(0);
  });

  it('accepts exact decimal strings beyond 2^53 and canonicalises leading zeros', () => {
    expect(compareOrderKeys(put('9007199254740993', '1'), put('9007199254740992', '1'))).toBeGreaterThan(0);
    expect(put('0007', '1')).toBe(put(7, '1'));
  });

  it('gives a table read the put rank and no sequence number', () => {
    // given a table read of version 7
    const read = snapshotOrderKey(0, { pk: 'a', version: 7 }, { safetySeconds: 2, ...options });
    // then it is V + 40-digit version + 0 + 40 zeros: below the put and delete records of version 7, above version 6
    expect(read).toBe(`V${'7'.padStart(40, '0')}0${'0'.repeat(40)}`);
    expect(compareOrderKeys(read, put(7, '1'))).toBeLessThan(0);
    expect(compareOrderKeys(read, remove(7, '1'))).toBeLessThan(0);
    expect(compareOrderKeys(read, remove(6, '9'.repeat(40)))).toBeGreaterThan(0);
  });

  it('refuses a table read of an absent item, which has no version', () => {
    expect(() => snapshotOrderKey(0, undefined, { safetySeconds: 2, ...options })).toThrow(/"item".*version/);
  });

  it.each([
    ['a negative version', { version: -1 }, 'newImage.version'],
    ['a fractional version', { version: 1.5 }, 'newImage.version'],
    ['an unsafe integer version', { version: 2 ** 60 }, 'newImage.version'],
    ['a non-numeric string version', { version: 'v1' }, 'newImage.version'],
    ['a 41-digit version', { version: '1'.repeat(41) }, 'newImage.version'],
    ['a missing version', { pk: 'a' }, 'newImage.version'],
  ])('rejects %s, naming the attribute', (_label, newImage, field) => {
    const compute = (): string => streamOrderKey(aChange({ newImage }), options);
    expect(compute).toThrow(OrderKeyInputError);
    expect(compute).toThrow(`"${field}"`);
  });

  it('rejects a record without the image the version is read from', () => {
    expect(() => streamOrderKey(aChange({ eventName: 'REMOVE', oldImage: undefined }), options)).toThrow(/"oldImage" is missing/);
  });
});

describe('order keys compared as strings', () => {
  it('sorts every time-mode key before every version-mode key', () => {
    const timeKey = streamKeyAt(999_999_999_999, 10n ** 40n - 1n);
    const versionKey = streamOrderKey(aChange({ newImage: { version: 0 } }), { versionAttribute: 'version' });
    expect(compareOrderKeys(timeKey, versionKey)).toBeLessThan(0);
  });

  it('returns 0 for the same change', () => {
    expect(compareOrderKeys(streamKeyAt(5, 5n), streamKeyAt(5, 5n))).toBe(0);
  });

  it.each([['S123'], [''], ['X'.repeat(54)], [`S${'0'.repeat(12)}2${'0'.repeat(40)}`]])('does not take %j for a key', (bad) => {
    expect(isOrderKey(bad)).toBe(false);
  });
});
