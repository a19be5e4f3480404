import type { SQSEvent } from 'aws-lambda';
import { productSchema } from '@ddb-os/schemas';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { defineSyncs, type RouteDefinition, type Syncs } from '@ddb-os/sync-definition';
import { testSyncDefinition } from '@ddb-os/testing';

/** A product item of the demo schema (valid for the `product` index schema unless overridden). */
export function productItem(productId: string, overrides: JsonObject = {}): JsonObject {
  return {
    pk: `PRODUCT#${productId}`,
    sk: 'PRODUCT',
    entityType: 'product',
    productId,
    name: `Lamp ${productId}`,
    description: 'A lamp',
    category: 'lighting',
    price: 25,
    tags: ['home'],
    inStock: true,
    updatedAt: '2026-11-26T08:00:00.000Z',
    ...overrides,
  };
}

/** Routes for one test: products validated by the demo's product schema. */
export const productRoutes = (index: string): RouteDefinition[] => [
  { index, schema: productSchema, match: { attribute: 'entityType', equals: 'product' } },
];

/** The definition of a buffered-mode sync of a pk,sk table whose products go to `index`. */
export const bufferedProductSyncs = (index: string): Syncs =>
  defineSyncs({ syncs: [testSyncDefinition({ routes: productRoutes(index), mode: 'buffered' })] });

/** A small seeded PRNG (mulberry32), so a failing random history can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An SQS event as Lambda delivers it from the queue `queueName`, one record per body. */
export function sqsEvent(bodies: readonly string[], queueName = 'buffer.fifo'): SQSEvent {
  const now = String(Date.now());
  return {
    Records: bodies.map((body, n) => ({
      messageId: `m-${now}-${n}`,
      receiptHandle: 'local',
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'local', ApproximateFirstReceiveTimestamp: now },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queueName}`,
      awsRegion: 'us-east-1',
    })),
  };
}
