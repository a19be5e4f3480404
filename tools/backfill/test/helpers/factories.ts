import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSyncTargetConfig, type SyncTargetConfig } from '@ddb-os/sync-config';
import type { RouteDefinition } from '@ddb-os/sync-definition';
import { demoSync } from '@ddb-os/syncs';
import { createStreamBatchHandler, type StreamBatchHandler } from '@ddb-os/indexing-core';
import { defineSyncs } from '@ddb-os/sync-definition';
import { testRouting, testSyncDefinition } from '@ddb-os/testing';
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

/** Demo routes for the given index names (the demo sync's, see `demoSync` of `@ddb-os/syncs`). */
export function demoRoutes(products: string, reviews: string): RouteDefinition[] {
  return [...demoSync({ products, reviews }).routes];
}

/** The environment every writer reads (endpoint, fast retries) for the local stack. */
export function syncEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OPENSEARCH_NODE: process.env['OPENSEARCH_NODE'] ?? 'http://127.0.0.1:9200',
    RETRY_BASE_DELAY_MS: '20',
    RETRY_MAX_DELAY_MS: '500',
    ...extra,
  };
}

/** The sync target of a pk/sk test sync with `routes` on the local stack. */
export function syncTarget(routes: readonly RouteDefinition[], extra: Record<string, string> = {}): SyncTargetConfig {
  return loadSyncTargetConfig(testRouting({ routes }), syncEnvironment(extra), 'backfill');
}

/** The stream indexer of a pk/sk test sync with `routes`, configured from `process.env` at its first batch. */
export function indexerFor(routes: readonly RouteDefinition[]): StreamBatchHandler {
  return createStreamBatchHandler(defineSyncs({ syncs: [testSyncDefinition({ routes })] }), process.env);
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
