// The sync of docs/your-own-table.md: copy it into sync.config.ts (with your own names and ARNs), or import it there.
import type { SyncDefinition } from '@ddb-os/sync-definition';
import { z } from 'zod';

/** The team's own schema of an order, as the item is stored in the table. */
export const orderSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  status: z.enum(['open', 'paid', 'shipped', 'cancelled']),
  total: z.number().nonnegative(),
  currency: z.string().length(3),
  placedAt: z.iso.datetime(),
  internalNote: z.string().optional(),
});

/** An existing table `orders` (key `orderId`, read from the table) on an existing domain. */
export const ordersSync: SyncDefinition = {
  name: 'orders',
  table: {
    existing: {
      name: 'orders',
      streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-15T09:30:00.000',
    },
  },
  domain: {
    existing: {
      endpoint: 'https://search-shop-abc123xyz.eu-west-1.es.amazonaws.com',
      arn: 'arn:aws:es:eu-west-1:123456789012:domain/shop',
    },
  },
  routes: [
    {
      index: 'orders',
      schema: orderSchema,
      match: { always: true },
      transform: { exclude: ['internalNote'], rename: { total: 'amount' } },
    },
  ],
};
