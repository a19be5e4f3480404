/** Partition key prefix shared by a product and its reviews (one item collection per product). */
export const PRODUCT_PK_PREFIX = 'PRODUCT#';
/** Sort key of the product item itself. */
export const PRODUCT_SK = 'PRODUCT';
/** Sort key prefix of review items. */
export const REVIEW_SK_PREFIX = 'REVIEW#';

/** The table's key attributes (both strings). */
export const TABLE_KEY_ATTRIBUTES = ['pk', 'sk'] as const;
/** The attribute naming an item's entity type; index routing matches on it. */
export const ENTITY_TYPE_ATTRIBUTE = 'entityType';
export const ENTITY_TYPES = ['product', 'review'] as const;

/** Ids: URL- and key-safe (no '#', which separates key parts). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Base names of the demo's OpenSearch indexes. */
export const DEMO_INDEX_NAMES = { products: 'products', reviews: 'reviews' } as const;
