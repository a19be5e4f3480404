import { z } from 'zod';
import type { IndexRoute, JsonObject, RoutableChange } from '../../src/types';

/** Like the demo product item (single-table design, key `pk`/`sk`). */
export function productSchema() {
  return z.object({
    pk: z.string(),
    sk: z.literal('PRODUCT'),
    entityType: z.literal('product'),
    productId: z.string(),
    name: z.string().min(1),
    description: z.string().optional(),
    category: z.enum(['books', 'games', 'tools']),
    price: z.number().nonnegative(),
    tags: z.array(z.string()),
    inStock: z.boolean(),
    updatedAt: z.iso.datetime(),
  });
}

/** Like the demo review item. */
export function reviewSchema() {
  return z.object({
    pk: z.string(),
    sk: z.string(),
    entityType: z.literal('review'),
    productId: z.string(),
    reviewId: z.uuid(),
    rating: z.int().min(1).max(5),
    title: z.string(),
    body: z.string(),
    author: z.string(),
    createdAt: z.iso.datetime(),
  });
}

/** The table keys of a product item. */
export function productKeys(productId = '42'): JsonObject {
  return { pk: `PRODUCT#${productId}`, sk: 'PRODUCT' };
}

/** A stored product item (keys plus data). */
export function productItem(overrides: JsonObject = {}): JsonObject {
  return {
    ...productKeys(),
    entityType: 'product',
    productId: '42',
    name: 'Kettle',
    category: 'tools',
    price: 25.5,
    tags: ['kitchen'],
    inStock: true,
    updatedAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}

/** A stored review item. */
export function reviewItem(overrides: JsonObject = {}): JsonObject {
  return {
    pk: 'PRODUCT#42',
    sk: 'REVIEW#7',
    entityType: 'review',
    productId: '42',
    reviewId: '7',
    rating: 5,
    title: 'Great',
    body: 'Boils water.',
    author: 'ann',
    createdAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}

/** Demo routes: products and reviews by entity type, then everything else of a product by key prefix. */
export function demoRoutes(): IndexRoute[] {
  return [
    { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
    { index: 'reviews', schema: 'review', match: { attribute: 'entityType', equals: 'review' } },
    { index: 'product-misc', match: { attribute: 'pk', prefix: 'PRODUCT#' } },
  ];
}

/** A decoded stream change of a product (MODIFY unless overridden). */
export function aRoutableChange(overrides: Partial<RoutableChange> = {}): RoutableChange {
  return {
    eventName: 'MODIFY',
    keys: productKeys(),
    newImage: productItem({ name: 'new' }),
    oldImage: productItem({ name: 'old' }),
    ...overrides,
  };
}
