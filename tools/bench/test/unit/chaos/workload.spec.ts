import { productSchema } from '@ddb-os/schemas';
import { createPrng } from '../../../src/prng';
import { operationGenerator, poisonItem, poisonKeys, validItem, workloadKeys, type ChaosOperation } from '../../../src/chaos/workload';

describe('workloadKeys and poisonKeys', () => {
  it('mixes products and events, and keeps poison keys apart', () => {
    const keys = workloadKeys(300);
    expect(keys.filter((key) => key.entity === 'product')).toHaveLength(200);
    expect(keys.filter((key) => key.entity === 'event')).toHaveLength(100);
    const poison = poisonKeys(4);
    expect(poison.map((key) => key.entity)).toEqual(['product', 'event', 'product', 'event']);
    expect(poison.some((key) => keys.some((other) => other.pk === key.pk))).toBe(false);
  });

  it('names a bad key count', () => {
    expect(() => workloadKeys(2)).toThrow('Option keys 2 is invalid');
  });
});

describe('operationGenerator', () => {
  const run = (seed: number, count: number): ChaosOperation[] => {
    const next = operationGenerator(createPrng(seed), workloadKeys(30));
    return Array.from({ length: count }, next);
  };

  it('is the same for the same seed', () => {
    expect(run(5, 200)).toEqual(run(5, 200));
  });

  it('updates only items that exist at that point, and mixes puts, updates and deletes', () => {
    const operations = run(11, 2_000);
    const exists = new Set<string>();
    for (const operation of operations) {
      if (operation.kind === 'update') expect(exists.has(operation.key.pk)).toBe(true);
      if (operation.kind === 'delete') exists.delete(operation.key.pk);
      if (operation.kind === 'put') exists.add(operation.key.pk);
    }
    const kinds = new Set(operations.map((operation) => operation.kind));
    expect(kinds).toEqual(new Set(['put', 'update', 'delete']));
  });
});

describe('items', () => {
  const product = { pk: 'PRODUCT#k1', sk: 'PRODUCT', entity: 'product' } as const;
  const event = { pk: 'EVENT#k2', sk: 'EVENT', entity: 'event' } as const;

  it('makes valid products (the schema accepts them) and events with a numeric amount', () => {
    expect(productSchema.safeParse(validItem(createPrng(1), product, 3)).success).toBe(true);
    expect(typeof validItem(createPrng(1), event, 3)['amount']).toBe('number');
  });

  it('makes poison a product the schema refuses and an event with a text amount', () => {
    expect(productSchema.safeParse(poisonItem(createPrng(1), product, 3).item).success).toBe(false);
    expect(poisonItem(createPrng(1), event, 3).item['amount']).toBe('many');
  });
});
