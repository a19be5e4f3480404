import type { z } from 'zod';
import { DEMO_INDEX_NAMES, ENTITY_TYPE_ATTRIBUTE } from './constants';
import { productSchema, reviewSchema } from './entities';
import type { IndexRouteShape } from './types';

/**
 * Schema name → zod object schema of the indexed document (the stored item's fields).
 * Index routes name their schema by these keys; mapping generation reads the shapes.
 */
export const indexSchemas = {
  product: productSchema,
  review: reviewSchema,
} as const satisfies Readonly<Record<string, z.ZodObject>>;

/** A schema name registered in `indexSchemas`. */
export type IndexSchemaName = keyof typeof indexSchemas;

/**
 * The demo's index routes with chosen index base names (tests use unique names).
 *
 * @example
 * demoIndexRoutesFor({ products: uniqueName('products'), reviews: uniqueName('reviews') });
 */
export function demoIndexRoutesFor(names: { readonly products: string; readonly reviews: string }): readonly IndexRouteShape[] {
  return [
    { index: names.products, schema: 'product', match: { attribute: ENTITY_TYPE_ATTRIBUTE, equals: 'product' } },
    { index: names.reviews, schema: 'review', match: { attribute: ENTITY_TYPE_ATTRIBUTE, equals: 'review' } },
  ];
}

/** The demo's index routes: products → `products`, reviews → `reviews`, by `entityType`. */
export const demoIndexRoutes: readonly IndexRouteShape[] = demoIndexRoutesFor(DEMO_INDEX_NAMES);
