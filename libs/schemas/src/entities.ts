import { z } from 'zod';
import { ID_PATTERN, PRODUCT_PK_PREFIX, PRODUCT_SK, REVIEW_SK_PREFIX } from './constants';

/**
 * `searchAs` in a field's meta is a hint for mapping generation: `text` for full-text fields,
 * `keyword` for exact-match strings (ids, categories, tags, names of people).
 */
const text = (description: string) => ({ description, searchAs: 'text' as const });
const keyword = (description: string) => ({ description, searchAs: 'keyword' as const });

const idMessage = "expected 1-64 characters of A-Z, a-z, 0-9, '_' or '-'";

export const productIdSchema = z.string().regex(ID_PATTERN, idMessage).meta(keyword('Product id, unique per product'));
export const reviewIdSchema = z.string().regex(ID_PATTERN, idMessage).meta(keyword('Review id, unique per product'));

const productFields = {
  name: z.string().trim().min(1).max(200).meta(text('Product name')),
  description: z.string().max(5000).meta(text('Long description')),
  category: z.string().trim().min(1).max(100).meta(keyword('Category, matched exactly')),
  price: z.number().nonnegative().max(1_000_000).meta({ description: 'Price in the shop currency' }),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).meta(keyword('Free-form tags, matched exactly')),
  inStock: z.boolean().meta({ description: 'Whether the product can be ordered now' }),
};

const reviewFields = {
  rating: z.number().int().min(1).max(5).meta({ description: 'Stars, 1 to 5' }),
  title: z.string().trim().min(1).max(200).meta(text('Review title')),
  body: z.string().max(10_000).meta(text('Review text')),
  author: z.string().trim().min(1).max(100).meta(keyword('Display name of the reviewer')),
};

const isoDateTime = (description: string) => z.iso.datetime().meta({ description });

/** A product item as stored in the table (and indexed): key `PRODUCT#<productId>` / `PRODUCT`. */
export const productSchema = z
  .object({
    pk: z.string().startsWith(PRODUCT_PK_PREFIX).meta(keyword('Partition key PRODUCT#<productId>')),
    sk: z.literal(PRODUCT_SK).meta(keyword('Sort key PRODUCT')),
    entityType: z.literal('product').meta(keyword('Entity type')),
    productId: productIdSchema,
    ...productFields,
    updatedAt: isoDateTime('Last change, ISO 8601 UTC'),
  })
  .describe('A product of the demo catalogue');

/** A review item as stored in the table (and indexed): key `PRODUCT#<productId>` / `REVIEW#<reviewId>`. */
export const reviewSchema = z
  .object({
    pk: z.string().startsWith(PRODUCT_PK_PREFIX).meta(keyword('Partition key PRODUCT#<productId>')),
    sk: z.string().startsWith(REVIEW_SK_PREFIX).meta(keyword('Sort key REVIEW#<reviewId>')),
    entityType: z.literal('review').meta(keyword('Entity type')),
    productId: productIdSchema,
    reviewId: reviewIdSchema,
    ...reviewFields,
    createdAt: isoDateTime('Creation time, ISO 8601 UTC'),
  })
  .describe('A customer review of a product');

/** Body of `PUT` for a product: the whole product (ids come from the path, timestamps from the server). */
export const productInputSchema = z
  .strictObject({
    ...productFields,
    description: productFields.description.default(''),
    tags: productFields.tags.default([]),
    inStock: productFields.inStock.default(true),
  })
  .describe('Create or replace a product');

/** Body of `PATCH` for a product: at least one field; absent fields stay unchanged. */
export const productPatchSchema = z
  .strictObject(productFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'a patch must change at least one field' })
  .describe('Change some fields of a product');

/** Body of `PUT` for a review. */
export const reviewInputSchema = z
  .strictObject({ ...reviewFields, body: reviewFields.body.default('') })
  .describe('Create or replace a review');

/** Body of `PATCH` for a review: at least one field. */
export const reviewPatchSchema = z
  .strictObject(reviewFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'a patch must change at least one field' })
  .describe('Change some fields of a review');
