import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDependencies, SearchQuery } from '../types';
import { parseOrThrow } from './validation';

/** Largest page `size`; OpenSearch's default `max_result_window` (10,000) bounds `from + size`. */
export const MAX_PAGE_SIZE = 100;
const MAX_RESULT_WINDOW = 10_000;

const optionalText = (max: number) => z.string().trim().min(1).max(max, `must be at most ${max} characters`).optional();
const optionalPrice = z.coerce.number({ error: 'must be a number' }).nonnegative('must be ≥ 0').optional();

/** `GET /search` query parameters. Unknown parameters are errors, so a typo does not silently widen a search. */
export const searchQuerySchema = z
  .strictObject({
    q: optionalText(200),
    type: z.enum(['product', 'review'], { error: 'must be "product" or "review"' }).optional(),
    category: optionalText(100),
    minPrice: optionalPrice,
    maxPrice: optionalPrice,
    inStock: z
      .enum(['true', 'false'], { error: 'must be "true" or "false"' })
      .transform((value) => value === 'true')
      .optional(),
    tag: optionalText(100),
    sort: z.enum(['price:asc', 'updatedAt:desc', '_score'], { error: 'must be one of price:asc, updatedAt:desc, _score' }).optional(),
    from: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be ≥ 0').default(0),
    size: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be ≥ 1')
      .max(MAX_PAGE_SIZE, `must be ≤ ${MAX_PAGE_SIZE}`)
      .default(20),
  })
  .refine((query) => query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice, {
    message: 'must not be greater than maxPrice',
    path: ['minPrice'],
  })
  .refine((query) => query.from + query.size <= MAX_RESULT_WINDOW, {
    message: `from + size must be ≤ ${MAX_RESULT_WINDOW}`,
    path: ['from'],
  });

/** `GET /search`: full-text search over the read aliases. */
export function searchRoutes(deps: AppDependencies): Hono {
  return new Hono().get('/', async (c) => {
    const parsed = parseOrThrow('query', searchQuerySchema, withoutEmptyParameters(c.req.query()));
    const query: SearchQuery = {
      q: parsed.q,
      type: parsed.type,
      category: parsed.category,
      minPrice: parsed.minPrice,
      maxPrice: parsed.maxPrice,
      inStock: parsed.inStock,
      tag: parsed.tag,
      sort: parsed.sort,
      from: parsed.from,
      size: parsed.size,
    };
    return c.json(await deps.search.search(query));
  });
}

/** An HTML form sends `category=` for an empty field: that means "any", not "the empty category". */
function withoutEmptyParameters(parameters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).filter(([, value]) => value.trim() !== ''));
}
