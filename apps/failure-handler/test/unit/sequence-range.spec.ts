import { emptyScan, lostPartOf, scanPage, selectRange } from '../../src/sequence-range';
import { streamRecordFactory } from '../helpers/factories';

const sequences = (records: readonly { dynamodb?: { SequenceNumber?: string } }[]) =>
  records.map((record) => record.dynamodb?.SequenceNumber);

describe('selectRange', () => {
  it('keeps exactly the records in [start, end], bounds included', () => {
    // given records before, at, inside, at the end of and after the range
    const page = ['90', '100', '150', '200', '210'].map((sequence) => streamRecordFactory(sequence));

    // when selected
    const selected = selectRange(page, { start: '100', end: '200' });

    // then only 100..200 remain, in order
    expect(sequences(selected)).toEqual(['100', '150', '200']);
  });

  it('compares as BigInt across digit counts, where text order would be wrong', () => {
    // given sequence numbers of 20 and 21 digits ("9..." sorts after "1..." as text)
    const page = ['99999999999999999998', '99999999999999999999', '100000000000000000000', '100000000000000000001'].map((sequence) =>
      streamRecordFactory(sequence),
    );

    // when selecting 99999999999999999999..100000000000000000000
    const selected = selectRange(page, { start: '99999999999999999999', end: '100000000000000000000' });

    // then exactly the two records in the numeric range are kept
    expect(sequences(selected)).toEqual(['99999999999999999999', '100000000000000000000']);
  });

  it('distinguishes 40-digit sequence numbers a double cannot (they differ in the last digit)', () => {
    // given two 40-digit numbers equal as doubles
    const low = '4000000000000000000000000000000000000001';
    const high = '4000000000000000000000000000000000000002';
    expect(Number(low)).toBe(Number(high));

    // when selecting only the lower one
    const selected = selectRange([streamRecordFactory(low), streamRecordFactory(high)], { start: low, end: low });

    // then the higher one is excluded
    expect(sequences(selected)).toEqual([low]);
  });
});

describe('scanPage', () => {
  it('accumulates over pages and stops at the first record at or after the end', () => {
    // given two pages, the second crossing the end
    const range = { start: '100', end: '200' };
    const first = scanPage(emptyScan, [streamRecordFactory('100'), streamRecordFactory('120')], range);

    // when the second page is added
    const second = scanPage(first, [streamRecordFactory('180'), streamRecordFactory('250'), streamRecordFactory('260')], range);

    // then the in-range records of both pages are kept and the end is reached at 250
    expect(first.reachedEnd).toBe(false);
    expect(sequences(second.records)).toEqual(['100', '120', '180']);
    expect(second.reachedEnd).toBe(true);
    expect(second.lastSeen).toBe(250n);
  });
});

describe('lostPartOf', () => {
  const range = { start: '100', end: '200' };

  it('is null when the start was read and the end reached', () => {
    // given a complete scan
    const scan = scanPage(
      emptyScan,
      ['100', '150', '200'].map((s) => streamRecordFactory(s)),
      range,
    );

    // when / then
    expect(lostPartOf(scan, range, 'reached-end', 1)).toBeNull();
  });

  it('reports a trimmed front when the first record available is after the start', () => {
    // given the shard starts at 150 (100..149 aged out)
    const scan = scanPage(
      emptyScan,
      ['150', '200'].map((s) => streamRecordFactory(s)),
      range,
    );

    // when
    const lost = lostPartOf(scan, range, 'reached-end', 1);

    // then 100..149 are lost to trimming
    expect(lost).toMatchObject({ condition: 'trimmed', range: { start: '100', end: '149' } });
    expect(lost?.detail).toContain('first record read: 150');
  });

  it('reports an incomplete tail when the shard ended before the end', () => {
    // given a scan that read 100 and 120 and the shard ended
    const scan = scanPage(
      emptyScan,
      ['100', '120'].map((s) => streamRecordFactory(s)),
      range,
    );

    // when
    const lost = lostPartOf(scan, range, 'shard-ended', 2);

    // then 121..200 are reported
    expect(lost).toMatchObject({ condition: 'range-incomplete', range: { start: '121', end: '200' } });
    expect(lost?.detail).toContain('stopped: shard-ended, GetRecords calls: 2');
  });

  it('reports the whole range when nothing was read before the call budget ran out', () => {
    // when
    const lost = lostPartOf(emptyScan, range, 'call-budget-exhausted', 10);

    // then
    expect(lost).toMatchObject({ condition: 'range-incomplete', range });
  });

  it('reports trimmed when GetRecords said so', () => {
    // when
    const lost = lostPartOf(emptyScan, range, 'trimmed', 1);

    // then
    expect(lost).toMatchObject({ condition: 'trimmed', range });
  });
});
