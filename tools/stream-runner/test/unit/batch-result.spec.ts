import { interpretHandlerResult, thrownOutcome } from '../../src/batch-result';

const batch = ['100', '200', '1000'];

describe('interpretHandlerResult (ReportBatchItemFailures semantics)', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
    ['a non-object value', 'ok'],
  ])('treats %s as full success', (_label, result) => {
    // when
    const outcome = interpretHandlerResult(result, batch);
    // then
    expect(outcome).toEqual({ kind: 'success' });
  });

  it('fails from the lowest reported sequence number, compared as numbers not strings', () => {
    // given '1000' < '200' as strings but not as numbers
    const result = { batchItemFailures: [{ itemIdentifier: '1000' }, { itemIdentifier: '200' }] };
    // when
    const outcome = interpretHandlerResult(result, batch);
    // then
    expect(outcome).toEqual({ kind: 'partial', failedIndex: 1, itemIdentifier: '200' });
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }, /empty or missing itemIdentifier/],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }, /empty or missing itemIdentifier/],
    ['a wrongly named key', { batchItemFailures: [{ itemId: '100' }] }, /empty or missing itemIdentifier/],
    [
      'an unknown sequence number',
      { batchItemFailures: [{ itemIdentifier: '300' }] },
      /"300", which is not a sequence number of this batch/,
    ],
    ['a list that is not a list', { batchItemFailures: 'all' }, /not a list/],
  ])('fails the whole batch on %s', (_label, result, reason) => {
    // when
    const outcome = interpretHandlerResult(result, batch);
    // then
    expect(outcome.kind).toBe('failure');
    expect(outcome.kind === 'failure' && outcome.reason).toMatch(reason);
    expect(outcome.kind === 'failure' && outcome.functionError).toBeUndefined();
  });

  it('marks thrown errors as unhandled function errors', () => {
    // when
    const outcome = thrownOutcome(new TypeError('boom'));
    // then
    expect(outcome).toEqual({ kind: 'failure', reason: 'TypeError: boom', functionError: 'Unhandled' });
  });
});
