import {
  productIdSchema,
  productInputSchema,
  productItem,
  productKey,
  productPatchSchema,
  reviewIdSchema,
  reviewInputSchema,
  reviewItem,
  reviewKey,
  reviewPatchSchema,
} from '@ddb-os/schemas';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ItemNotFoundError } from '../errors';
import type { AppDependencies, StoredItem, TableKey } from '../types';
import { jsonBody, parseOrThrow } from './validation';

const productPath = z.object({ productId: productIdSchema });
const reviewPath = z.object({ productId: productIdSchema, reviewId: reviewIdSchema });

/**
 * One entity's CRUD over the table: how its path maps to a key, how a PUT body becomes the stored item,
 * and which fields a PATCH touches besides the patch itself.
 */
interface EntityHandlers {
  readonly entity: 'product' | 'review';
  keyOf(c: Context): TableKey;
  /** Validates the PUT path and body up front; the returned builder makes the stored item. */
  prepare(c: Context, body: unknown): (now: Date, existing: StoredItem | undefined) => StoredItem;
  /** Whether the builder needs the current item (to keep fields a PUT must not reset). */
  readonly keepsExistingFields: boolean;
  changesFor(body: unknown, now: Date): Record<string, unknown>;
}

const products: EntityHandlers = {
  entity: 'product',
  keyOf: (c) => productKey(parseOrThrow('path', productPath, c.req.param()).productId),
  prepare: (c, body) => {
    const { productId } = parseOrThrow('path', productPath, c.req.param());
    const input = parseOrThrow('body', productInputSchema, body);
    return (now) => productItem(productId, input, now);
  },
  keepsExistingFields: false,
  changesFor: (body, now) => ({ ...parseOrThrow('body', productPatchSchema, body), updatedAt: now.toISOString() }),
};

const reviews: EntityHandlers = {
  entity: 'review',
  keyOf: (c) => {
    const { productId, reviewId } = parseOrThrow('path', reviewPath, c.req.param());
    return reviewKey(productId, reviewId);
  },
  // A replaced review keeps the time it was first written.
  prepare: (c, body) => {
    const { productId, reviewId } = parseOrThrow('path', reviewPath, c.req.param());
    const input = parseOrThrow('body', reviewInputSchema, body);
    return (now, existing) => {
      const createdAt = typeof existing?.['createdAt'] === 'string' ? new Date(existing['createdAt']) : now;
      return reviewItem(productId, reviewId, input, createdAt);
    };
  },
  keepsExistingFields: true,
  changesFor: (body) => parseOrThrow('body', reviewPatchSchema, body),
};

/**
 * `/items/products/:productId` and `/items/products/:productId/reviews/:reviewId`:
 * PUT (201 created / 200 replaced), PATCH (existing items only), DELETE (204), GET.
 */
export function itemRoutes(deps: AppDependencies): Hono {
  const routes = new Hono();
  mountEntity(routes, '/products/:productId', products, deps);
  mountEntity(routes, '/products/:productId/reviews/:reviewId', reviews, deps);
  return routes;
}

function mountEntity(routes: Hono, path: string, handlers: EntityHandlers, deps: AppDependencies): void {
  const now = () => deps.now?.() ?? new Date();

  routes.put(path, async (c) => {
    const key = handlers.keyOf(c);
    const build = handlers.prepare(c, await jsonBody(c));
    const existing = handlers.keepsExistingFields ? await deps.items.get(key) : undefined;
    const item = build(now(), existing);
    const previous = await deps.items.put(item);
    return c.json(item, previous === undefined ? 201 : 200);
  });

  routes.patch(path, async (c) => {
    const key = handlers.keyOf(c);
    const changes = handlers.changesFor(await jsonBody(c), now());
    const updated = await deps.items.update(key, changes);
    if (updated === undefined) throw new ItemNotFoundError(handlers.entity, key);
    return c.json(updated);
  });

  routes.delete(path, async (c) => {
    const key = handlers.keyOf(c);
    const removed = await deps.items.remove(key);
    if (removed === undefined) throw new ItemNotFoundError(handlers.entity, key);
    return c.body(null, 204);
  });

  routes.get(path, async (c) => {
    const key = handlers.keyOf(c);
    const item = await deps.items.get(key);
    if (item === undefined) throw new ItemNotFoundError(handlers.entity, key);
    return c.json(item);
  });
}
