import { ID_PATTERN, PRODUCT_PK_PREFIX, PRODUCT_SK, REVIEW_SK_PREFIX } from './constants';
import { InvalidIdError, InvalidKeyError } from './errors';
import type { ParsedKey, TableKey } from './types';

function assertId(field: string, value: string): void {
  if (!ID_PATTERN.test(value)) throw new InvalidIdError(field, value);
}

/**
 * The table key of a product.
 *
 * @throws InvalidIdError when `productId` is not a valid id.
 * @example
 * productKey('p-1'); // { pk: 'PRODUCT#p-1', sk: 'PRODUCT' }
 */
export function productKey(productId: string): TableKey & { readonly sk: typeof PRODUCT_SK } {
  assertId('productId', productId);
  return { pk: `${PRODUCT_PK_PREFIX}${productId}`, sk: PRODUCT_SK };
}

/**
 * The table key of a review; it shares the product's partition.
 *
 * @throws InvalidIdError when an id is not valid.
 * @example
 * reviewKey('p-1', 'r-7'); // { pk: 'PRODUCT#p-1', sk: 'REVIEW#r-7' }
 */
export function reviewKey(productId: string, reviewId: string): TableKey {
  assertId('productId', productId);
  assertId('reviewId', reviewId);
  return { pk: `${PRODUCT_PK_PREFIX}${productId}`, sk: `${REVIEW_SK_PREFIX}${reviewId}` };
}

/**
 * What a table key identifies. Accepts any object with `pk` and `sk` (a decoded stream `keys`, an item).
 *
 * @throws InvalidKeyError naming what does not fit.
 * @example
 * parseKey({ pk: 'PRODUCT#p-1', sk: 'REVIEW#r-7' }); // { entityType: 'review', productId: 'p-1', reviewId: 'r-7' }
 */
export function parseKey(key: { readonly pk?: unknown; readonly sk?: unknown }): ParsedKey {
  const { pk, sk } = key;
  if (typeof pk !== 'string' || typeof sk !== 'string') throw new InvalidKeyError(key, 'pk and sk must be strings');
  if (!pk.startsWith(PRODUCT_PK_PREFIX)) throw new InvalidKeyError(key, `pk must start with ${PRODUCT_PK_PREFIX}`);
  const productId = pk.slice(PRODUCT_PK_PREFIX.length);
  if (!ID_PATTERN.test(productId)) throw new InvalidKeyError(key, 'pk does not hold a valid productId');
  if (sk === PRODUCT_SK) return { entityType: 'product', productId };
  if (!sk.startsWith(REVIEW_SK_PREFIX)) {
    throw new InvalidKeyError(key, `sk must be ${PRODUCT_SK} or start with ${REVIEW_SK_PREFIX}`);
  }
  const reviewId = sk.slice(REVIEW_SK_PREFIX.length);
  if (!ID_PATTERN.test(reviewId)) throw new InvalidKeyError(key, 'sk does not hold a valid reviewId');
  return { entityType: 'review', productId, reviewId };
}
