import { InvalidIdError, InvalidKeyError, parseKey, productKey, reviewKey } from '../../src';

describe('productKey / reviewKey', () => {
  it('builds the single-table keys', () => {
    expect(productKey('p-1')).toStrictEqual({ pk: 'PRODUCT#p-1', sk: 'PRODUCT' });
    expect(reviewKey('p-1', 'r_7')).toStrictEqual({ pk: 'PRODUCT#p-1', sk: 'REVIEW#r_7' });
  });

  it.each([
    ['productKey with #', () => productKey('a#b'), 'productId must be'],
    ['productKey empty', () => productKey(''), 'got ""'],
    ['reviewKey with a space', () => reviewKey('p-1', 'r 1'), 'reviewId must be'],
  ])('%s throws InvalidIdError naming the field', (_case, build, message) => {
    expect(build).toThrow(InvalidIdError);
    expect(build).toThrow(message);
  });
});

describe('parseKey', () => {
  it('reads what product and review keys identify, round-tripping the builders', () => {
    expect(parseKey(productKey('p-1'))).toStrictEqual({ entityType: 'product', productId: 'p-1' });
    expect(parseKey(reviewKey('p-1', 'r-2'))).toStrictEqual({ entityType: 'review', productId: 'p-1', reviewId: 'r-2' });
  });

  it('accepts a whole item, ignoring other attributes', () => {
    // given
    const item = { ...productKey('x'), name: 'Lamp' };

    // when
    const parsed = parseKey(item);

    // then
    expect(parsed).toStrictEqual({ entityType: 'product', productId: 'x' });
  });

  it.each([
    [{ pk: 1, sk: 'PRODUCT' }, 'pk and sk must be strings'],
    [{ pk: 'PRODUCT#p-1' }, 'pk and sk must be strings'],
    [{ pk: 'ORDER#o-1', sk: 'PRODUCT' }, 'pk must start with PRODUCT#'],
    [{ pk: 'PRODUCT#', sk: 'PRODUCT' }, 'pk does not hold a valid productId'],
    [{ pk: 'PRODUCT#p-1', sk: 'LINE#1' }, 'sk must be PRODUCT or start with REVIEW#'],
    [{ pk: 'PRODUCT#p-1', sk: 'REVIEW#' }, 'sk does not hold a valid reviewId'],
  ])('refuses %j: %s', (key, problem) => {
    const parse = (): unknown => parseKey(key);
    expect(parse).toThrow(InvalidKeyError);
    expect(parse).toThrow(problem);
  });
});
