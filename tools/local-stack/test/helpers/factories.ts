import type { Endpoint } from '../../src/types';

/** An endpoint as `stackEndpointMap` would produce it. */
export function endpoint(overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    url: 'http://127.0.0.1:9200',
    host: '127.0.0.1',
    port: 9200,
    loopback: true,
    envVar: 'OPENSEARCH_NODE',
    fromEnv: false,
    ...overrides,
  };
}

/** A demo product item (single-table design of libs/schemas). */
export function productItem(productId: string, overrides: Record<string, unknown> = {}) {
  return {
    pk: `PRODUCT#${productId}`,
    sk: 'PRODUCT',
    entityType: 'product',
    productId,
    name: 'Trail shoe',
    price: 89.5,
    tags: ['outdoor', 'running'],
    inStock: true,
    ...overrides,
  };
}
