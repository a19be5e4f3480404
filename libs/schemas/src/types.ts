import type { z } from 'zod';
import type { ENTITY_TYPES } from './constants';
import type { productInputSchema, productPatchSchema, productSchema, reviewInputSchema, reviewPatchSchema, reviewSchema } from './entities';

export type EntityType = (typeof ENTITY_TYPES)[number];

/** The table's primary key. */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

/** What a table key identifies. */
export type ParsedKey =
  | { readonly entityType: 'product'; readonly productId: string }
  | { readonly entityType: 'review'; readonly productId: string; readonly reviewId: string };

/** A stored product item. */
export type Product = z.infer<typeof productSchema>;
/** A stored review item. */
export type Review = z.infer<typeof reviewSchema>;
/** Body of `PUT /products/{productId}` after parsing (defaults applied). */
export type ProductInput = z.output<typeof productInputSchema>;
/** Body of `PATCH /products/{productId}`. */
export type ProductPatch = z.output<typeof productPatchSchema>;
/** Body of `PUT /products/{productId}/reviews/{reviewId}` after parsing. */
export type ReviewInput = z.output<typeof reviewInputSchema>;
/** Body of `PATCH /products/{productId}/reviews/{reviewId}`. */
export type ReviewPatch = z.output<typeof reviewPatchSchema>;
