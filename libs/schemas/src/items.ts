import { productKey, reviewKey } from './keys';
import type { Product, ProductInput, Review, ReviewInput } from './types';

/**
 * The stored product item for a parsed PUT body: key, entity type and timestamp filled in consistently;
 * only the schema's fields are copied.
 *
 * @example
 * const item = productItem('p-1', productInputSchema.parse(body), new Date());
 */
export function productItem(productId: string, input: ProductInput, updatedAt: Date): Product {
  const { name, description, category, price, tags, inStock } = input;
  return {
    ...productKey(productId),
    entityType: 'product',
    productId,
    name,
    description,
    category,
    price,
    tags,
    inStock,
    updatedAt: updatedAt.toISOString(),
  };
}

/**
 * The stored review item for a parsed PUT body; only the schema's fields are copied.
 *
 * @example
 * const item = reviewItem('p-1', 'r-1', reviewInputSchema.parse(body), new Date());
 */
export function reviewItem(productId: string, reviewId: string, input: ReviewInput, createdAt: Date): Review {
  const { rating, title, body, author } = input;
  return {
    ...reviewKey(productId, reviewId),
    entityType: 'review',
    productId,
    reviewId,
    rating,
    title,
    body,
    author,
    createdAt: createdAt.toISOString(),
  };
}
