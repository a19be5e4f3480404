import { compareDecimals, exactNumber, isDecimal } from '../../src';

describe('isDecimal', () => {
  it.each(['0', '-1', '+1', '1.', '.5', '1.5e10', '1E+2', '1e-130', '00012'])('accepts %s', (text) => {
    expect(isDecimal(text)).toBe(true);
  });

  it.each(['', '-', '.', 'NaN', 'Infinity', '1e', '1,5', ' 1', '0x10', '1e+1234567890'])('refuses %j', (text) => {
    expect(isDecimal(text)).toBe(false);
  });
});

describe('exactNumber', () => {
  it.each([
    ['1E+15', 1e15],
    ['100.000', 100],
    ['0.30000000000000004', 0.30000000000000004],
    ['-0.0', 0],
    ['5e-324', 5e-324],
  ])('converts %s', (text, expected) => {
    expect(exactNumber(text)).toBe(expected);
  });

  it.each(['1E+16', '9007199254740992', '1.00000000000000000001', '1e-400', '1.5e400'])('refuses %s', (text) => {
    expect(exactNumber(text)).toBeUndefined();
  });
});

describe('compareDecimals', () => {
  it('sorts by exact value across notations', () => {
    // given
    const values = ['1E+2', '-0.5', '99.999999999999999999', '0', '1e-5', '-1E+40', '100.5', '12345678901234567890123'];

    // when
    const sorted = [...values].sort(compareDecimals);

    // then
    expect(sorted).toStrictEqual(['-1E+40', '-0.5', '0', '1e-5', '99.999999999999999999', '1E+2', '100.5', '12345678901234567890123']);
  });

  it('orders equal values written differently by their text, deterministically', () => {
    expect(['1.0', '1', '1E+0'].sort(compareDecimals)).toStrictEqual(['1', '1.0', '1E+0']);
  });
});
