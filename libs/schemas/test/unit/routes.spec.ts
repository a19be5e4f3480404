import {
  demoIndexRoutes,
  demoIndexRoutesFor,
  indexSchemas,
  productInputSchema,
  productItem,
  productSchema,
  reviewInputSchema,
  reviewItem,
  reviewSchema,
} from '../../src';
import { productInput, reviewInput } from '../helpers/factories';

describe('indexSchemas', () => {
  it('registers the stored-item schema of each entity by name', () => {
    expect(Object.keys(indexSchemas)).toStrictEqual(['product', 'review']);
    expect(indexSchemas.product).toBe(productSchema);
    expect(indexSchemas.review).toBe(reviewSchema);
  });

  it('exposes object shapes for mapping generation, with search hints in meta', () => {
    expect(Object.keys(indexSchemas.product.shape)).toContain('price');
    expect(indexSchemas.product.shape.name.meta()).toMatchObject({ searchAs: 'text' });
    expect(indexSchemas.review.shape.author.meta()).toMatchObject({ searchAs: 'keyword' });
  });
});

describe('demoIndexRoutes', () => {
  it('routes by entityType to the products and reviews indexes, naming the schema', () => {
    expect(demoIndexRoutes).toStrictEqual([
      { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
      { index: 'reviews', schema: 'review', match: { attribute: 'entityType', equals: 'review' } },
    ]);
  });

  it('names only registered schemas', () => {
    expect(demoIndexRoutes.every((route) => route.schema !== undefined && route.schema in indexSchemas)).toBe(true);
  });

  it('can use other index names (tests use unique ones)', () => {
    // when
    const routes = demoIndexRoutesFor({ products: 'p-123', reviews: 'r-123' });

    // then
    expect(routes.map((route) => route.index)).toStrictEqual(['p-123', 'r-123']);
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
