import { z } from 'zod';
import { defineSyncs, InvalidSyncDefinitionError, type SyncDefinition, type SyncsDefinition } from '../../src';

export const DOMAIN_ENDPOINT = 'https://search-shop.eu-west-1.es.amazonaws.com';
export const DOMAIN_ARN = 'arn:aws:es:eu-west-1:123456789012:domain/shop';
export const TABLE_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders';
export const STREAM_ARN = `${TABLE_ARN}/stream/2026-01-01T00:00:00.000`;

/** The orders of the guide: partition key `orderId`. */
export const orderSchema = z.object({
  orderId: z.string(),
  customerEmail: z.string(),
  status: z.enum(['open', 'paid']),
  total: z.number(),
  internalNote: z.string().optional(),
});

/** A valid sync (created table keyed by `orderId`, existing domain, one route with the order schema); `overrides` replace its fields. */
export function anOrdersSync(overrides: Record<string, unknown> = {}): SyncDefinition {
  return {
    name: 'orders',
    table: { create: { partitionKey: 'orderId' } },
    domain: { existing: { endpoint: DOMAIN_ENDPOINT, arn: DOMAIN_ARN } },
    routes: [{ index: 'orders', schema: orderSchema, match: { always: true } }],
    ...overrides,
  } as SyncDefinition;
}

/** The same sync on an existing table (keys unknown until DescribeTable). */
export function anExistingTableSync(overrides: Record<string, unknown> = {}): SyncDefinition {
  return anOrdersSync({ table: { existing: { name: 'orders', streamArn: STREAM_ARN } }, ...overrides });
}

/** A route of the orders index with the given transform. */
export function ordersRoute(transform: unknown, schema: z.ZodObject | undefined = orderSchema): Record<string, unknown> {
  return { index: 'orders', match: { always: true }, ...(schema && { schema }), transform };
}

/** The issues `defineSyncs` refuses a definition with (a JS caller: anything goes in). */
export function issuesOf(definition: unknown): readonly string[] {
  try {
    defineSyncs(definition as SyncsDefinition);
  } catch (error) {
    if (error instanceof InvalidSyncDefinitionError) return error.issues;
    throw error;
  }
  throw new Error('expected InvalidSyncDefinitionError');
}

/** The issues of one sync given as its overrides of {@link anOrdersSync}. */
export function issuesOfSync(overrides: Record<string, unknown>): readonly string[] {
  return issuesOf({ syncs: [anOrdersSync(overrides)] });
}

/** The issues of the orders sync with one route carrying this transform. */
export function transformIssuesOf(transform: unknown, schema?: z.ZodObject): readonly string[] {
  return issuesOfSync({ routes: [ordersRoute(transform, schema ?? orderSchema)] });
}
