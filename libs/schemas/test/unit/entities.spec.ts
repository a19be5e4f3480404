import { productInputSchema, productPatchSchema, productSchema, reviewInputSchema, reviewPatchSchema, reviewSchema } from '../../src';
import { productInput, reviewInput, storedProduct, storedReview } from '../helpers/factories';
import { issueMessages, issuePaths } from '../helpers/issues';

describe('productSchema (stored item)', () => {
  it('accepts a complete product', () => {
    // given
    const item = storedProduct();

    // when
    const parsed = productSchema.parse(item);

    // then
    expect(parsed).toStrictEqual(item);
  });

  it.each([
    ['sk of a review', { sk: 'REVIEW#r-1' }, ['sk']],
    ['pk without prefix', { pk: 'p-1' }, ['pk']],
    ['wrong entityType', { entityType: 'review' }, ['entityType']],
    ['price as a string', { price: '24.90' }, ['price']],
    ['negative price', { price: -1 }, ['price']],
    ['a non-string tag', { tags: ['ok', 3] }, ['tags.1']],
    ['a date without time', { updatedAt: '2026-01-01' }, ['updatedAt']],
    ['a productId with #', { productId: 'p#1' }, ['productId']],
    ['missing inStock', { inStock: undefined }, ['inStock']],
  ])('refuses %s at the right path', (_case, overrides, paths) => {
    expect(issuePaths(productSchema, storedProduct(overrides))).toStrictEqual(paths);
  });

  it('ignores attributes it does not know (the indexed document keeps only schema fields)', () => {
    // when
    const parsed = productSchema.parse({ ...storedProduct(), expiresAt: 123 });

    // then
    expect(parsed).not.toHaveProperty('expiresAt');
  });
});

describe('reviewSchema (stored item)', () => {
  it('accepts a complete review', () => {
    expect(reviewSchema.parse(storedReview())).toStrictEqual(storedReview());
  });

  it.each([
    ['rating 0', { rating: 0 }, ['rating']],
    ['rating 6', { rating: 6 }, ['rating']],
    ['fractional rating', { rating: 4.5 }, ['rating']],
    ['sk of a product', { sk: 'PRODUCT' }, ['sk']],
    ['missing author', { author: undefined }, ['author']],
    ['createdAt not ISO', { createdAt: 'yesterday' }, ['createdAt']],
  ])('refuses %s at the right path', (_case, overrides, paths) => {
    expect(issuePaths(reviewSchema, storedReview(overrides))).toStrictEqual(paths);
  });
});

describe('productInputSchema (PUT)', () => {
  it('applies defaults for description, tags and inStock', () => {
    // when
    const parsed = productInputSchema.parse({ name: 'Lamp', category: 'lighting', price: 10 });

    // then
    expect(parsed).toStrictEqual({ name: 'Lamp', category: 'lighting', price: 10, description: '', tags: [], inStock: true });
  });

  it('trims names', () => {
    expect(productInputSchema.parse(productInput({ name: '  Lamp ' })).name).toBe('Lamp');
  });

  it.each([
    ['blank name', { name: '   ' }, ['name']],
    ['missing price', { price: undefined }, ['price']],
    ['infinite price', { price: Number.POSITIVE_INFINITY }, ['price']],
    ['tags not an array', { tags: 'desk' }, ['tags']],
    ['empty tag', { tags: ['desk', ''] }, ['tags.1']],
    ['inStock as text', { inStock: 'yes' }, ['inStock']],
    ['an unknown field', { colour: 'red' }, ['']],
    ['a server-managed field', { updatedAt: '2026-01-01T00:00:00Z' }, ['']],
  ])('refuses %s at the right path', (_case, overrides, paths) => {
    expect(issuePaths(productInputSchema, productInput(overrides))).toStrictEqual(paths);
  });

  it('names unknown fields in the message', () => {
    expect(issueMessages(productInputSchema, productInput({ colour: 'red' }))).toStrictEqual(['Unrecognized key: "colour"']);
  });
});

describe('productPatchSchema (PATCH)', () => {
  it('accepts a subset of fields without adding defaults', () => {
    expect(productPatchSchema.parse({ price: 5 })).toStrictEqual({ price: 5 });
  });

  it('refuses an empty patch', () => {
    expect(issueMessages(productPatchSchema, {})).toStrictEqual(['a patch must change at least one field']);
  });

  it('refuses a negative price at its path', () => {
    expect(issuePaths(productPatchSchema, { price: -5 })).toStrictEqual(['price']);
  });

  it('refuses changing the id, which is not a patchable field', () => {
    expect(issueMessages(productPatchSchema, { productId: 'p-2' })).toStrictEqual([
      'Unrecognized key: "productId"',
      'a patch must change at least one field',
    ]);
  });
});

describe('reviewInputSchema (PUT) and reviewPatchSchema (PATCH)', () => {
  it('accepts a review and defaults the body', () => {
    expect(reviewInputSchema.parse(reviewInput({ body: undefined }))).toStrictEqual({ ...reviewInput(), body: '' });
  });

  it.each([
    ['rating as text', { rating: '5' }, ['rating']],
    ['blank title', { title: ' ' }, ['title']],
    ['too long body', { body: 'x'.repeat(10_001) }, ['body']],
  ])('PUT refuses %s at the right path', (_case, overrides, paths) => {
    expect(issuePaths(reviewInputSchema, reviewInput(overrides))).toStrictEqual(paths);
  });

  it('PATCH accepts one field and refuses an out-of-range rating', () => {
    expect(reviewPatchSchema.parse({ title: 'Meh' })).toStrictEqual({ title: 'Meh' });
    expect(issuePaths(reviewPatchSchema, { rating: 9 })).toStrictEqual(['rating']);
  });
});
