import type { Product, Review } from '../../src';

/** A valid PUT body for a product. */
export function productInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Desk lamp',
    description: 'A warm light',
    category: 'lighting',
    price: 24.9,
    tags: ['desk', 'led'],
    inStock: true,
    ...overrides,
  };
}

/** A valid PUT body for a review. */
export function reviewInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { rating: 4, title: 'Nice', body: 'Bright enough', author: 'ana', ...overrides };
}

/** A valid stored product item. */
export function storedProduct(overrides: Partial<Record<keyof Product, unknown>> = {}): Record<string, unknown> {
  return {
    pk: 'PRODUCT#p-1',
    sk: 'PRODUCT',
    entityType: 'product',
    productId: 'p-1',
    ...productInput(),
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A valid stored review item. */
export function storedReview(overrides: Partial<Record<keyof Review, unknown>> = {}): Record<string, unknown> {
  return {
    pk: 'PRODUCT#p-1',
    sk: 'REVIEW#r-1',
    entityType: 'review',
    productId: 'p-1',
    reviewId: 'r-1',
    ...reviewInput(),
    createdAt: '2026-01-01T10:00:00Z',
    ...overrides,
  };
}
