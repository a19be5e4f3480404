import { lowestSequenceNumber, sequenceNumberOf } from '../../src/sequence-number';

describe('sequenceNumberOf', () => {
  it.each([
    [{ dynamodb: { SequenceNumber: '4200' } }, '4200'],
    [{ dynamodb: { SequenceNumber: '9'.repeat(40) } }, '9'.repeat(40)],
    [{ dynamodb: { SequenceNumber: '9'.repeat(41) } }, undefined],
    [{ dynamodb: { SequenceNumber: '12a' } }, undefined],
    [{ dynamodb: { SequenceNumber: 42 } }, undefined],
    [{ dynamodb: {} }, undefined],
    ['not a record', undefined],
    [null, undefined],
  ])('reads %j as %j', (record, expected) => {
    expect(sequenceNumberOf(record)).toBe(expected);
  });
});

describe('lowestSequenceNumber', () => {
  it('compares as numbers, not as strings or doubles', () => {
    expect(lowestSequenceNumber(['200', '1000'])).toBe('200');
    expect(lowestSequenceNumber(['100000000000000000000002', '100000000000000000000001'])).toBe('100000000000000000000001');
    expect(lowestSequenceNumber([])).toBeUndefined();
  });
});
