import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSyncTargetConfig, type SyncTargetConfig } from '@ddb-os/sync-config';
import type { JsonObject } from '@ddb-os/stream-decoding';
import type { ItemCounts, SourcePage } from '../../src/types';

/** A valid product item of the demo schema. */
export function productItem(n: number, overrides: JsonObject = {}): JsonObject {
  return {
    pk: `PRODUCT#p${n}`,
    sk: 'PRODUCT',
    entityType: 'product',
    productId: `p${n}`,
    name: `Lamp ${n}`,
    description: 'A lamp',
    category: 'lighting',
    price: n % 1000,
    tags: ['home'],
    inStock: true,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A valid review item of the demo schema. */
export function reviewItem(n: number, overrides: JsonObject = {}): JsonObject {
  return {
    pk: `PRODUCT#p${n}`,
    sk: `REVIEW#r${n}`,
    entityType: 'review',
    productId: `p${n}`,
    reviewId: `r${n}`,
    rating: (n % 5) + 1,
    title: 'Fine',
    body: 'Works well',
    author: 'ann',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** `count` items: four products to one review. */
export function catalogItems(count: number, payloadBytes = 0): JsonObject[] {
  const description = 'x'.repeat(payloadBytes);
  return Array.from({ length: count }, (_unused, n) =>
    n % 5 === 4 ? reviewItem(n, { body: description }) : productItem(n, payloadBytes > 0 ? { description } : {}),
  );
}

/** Demo routes for the given index base names. */
export function demoRoutes(products: string, reviews: string): JsonObject[] {
  return [
    { index: products, schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
    { index: reviews, schema: 'review', match: { attribute: 'entityType', equals: 'review' } },
  ];
}

/** The environment every writer reads, for the local stack. */
export function syncEnvironment(routes: readonly JsonObject[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    OPENSEARCH_NODE: process.env['OPENSEARCH_NODE'] ?? 'http://127.0.0.1:9200',
    INDEX_ROUTES: JSON.stringify(routes),
    KEY_ATTRIBUTES: 'pk,sk',
    RETRY_BASE_DELAY_MS: '20',
    RETRY_MAX_DELAY_MS: '500',
    ...extra,
  };
}

/** The sync target for `routes` on the local stack. */
export function syncTarget(routes: readonly JsonObject[], extra: Record<string, string> = {}): SyncTargetConfig {
  return loadSyncTargetConfig(syncEnvironment(routes, extra), 'backfill');
}

/** A fresh temporary directory. */
export function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'backfill-test-'));
}

/** Item counts with defaults of zero. */
export function counts(partial: Partial<ItemCounts> = {}): ItemCounts {
  return { read: 0, indexed: 0, stale: 0, unrouted: 0, failed: 0, ...partial };
}

/** A source page with defaults. */
export function sourcePage(partial: Partial<SourcePage> = {}): SourcePage {
  return { readAtMs: Date.parse('2026-01-01T00:00:10Z'), items: [], next: null, consumedRcu: 0, startedFrom: undefined, ...partial };
}
