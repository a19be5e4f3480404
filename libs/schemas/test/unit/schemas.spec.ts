import { productInputSchema, productItem, productSchema, reviewInputSchema, reviewItem, reviewSchema } from '../../src';
import { productInput, reviewInput } from '../helpers/factories';

describe('the stored-item schemas', () => {
  it('expose object shapes for mapping generation, with search hints in meta', () => {
    expect(Object.keys(productSchema.shape)).toContain('price');
    expect(productSchema.shape.name.meta()).toMatchObject({ searchAs: 'text' });
    expect(reviewSchema.shape.author.meta()).toMatchObject({ searchAs: 'keyword' });
  });
});

describe('productItem / reviewItem', () => {
  it('build stored items that satisfy the stored-item schemas', () => {
    // given
    const now = new Date('2026-02-03T04:05:06.789Z');

    // when
    const product = productItem('p-1', productInputSchema.parse(productInput()), now);
    const review = reviewItem('p-1', 'r-1', reviewInputSchema.parse(reviewInput()), now);

    // then
    expect(productSchema.parse(product)).toStrictEqual(product);
    expect(reviewSchema.parse(review)).toStrictEqual(review);
    expect(product).toMatchObject({ pk: 'PRODUCT#p-1', sk: 'PRODUCT', updatedAt: '2026-02-03T04:05:06.789Z' });
    expect(review).toMatchObject({ pk: 'PRODUCT#p-1', sk: 'REVIEW#r-1', createdAt: '2026-02-03T04:05:06.789Z' });
  });

  it('copy only schema fields, even from a wider object', () => {
    // given
    const wider = { ...productInputSchema.parse(productInput()), secret: 'x' };

    // when
    const product = productItem('p-1', wider, new Date(0));

    // then
    expect(product).not.toHaveProperty('secret');
  });
});
