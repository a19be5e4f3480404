import { InvalidBenchOptionError } from '../errors';
import type { Prng } from '../types';

/** An item as written to the table (plain JSON; numbers are JS numbers). */
export type ChaosItem = Record<string, string | number | boolean | string[]>;

/** The entity types of the chaos table, each routed to its own index. */
export type ChaosEntity = 'product' | 'event';

/** One key of the workload. */
export interface ChaosKey {
  readonly pk: string;
  readonly sk: string;
  readonly entity: ChaosEntity;
}

/** One operation on the table, in the order the generator decided it (per key, the order it is applied). */
export type ChaosOperation =
  | { readonly kind: 'put'; readonly key: ChaosKey; readonly item: ChaosItem }
  | { readonly kind: 'update'; readonly key: ChaosKey; readonly set: Readonly<Record<string, string | number | boolean>> }
  | { readonly kind: 'delete'; readonly key: ChaosKey }
  /** An item whose field types break its index (schema or mapping): it can only be dead-lettered. */
  | { readonly kind: 'poison'; readonly key: ChaosKey; readonly item: ChaosItem; readonly reason: string }
  /** A later valid put of a poison key: "fix the data", after which replay can index it. */
  | { readonly kind: 'fix'; readonly key: ChaosKey; readonly item: ChaosItem };

/** Shares of the random operations (the rest are puts). */
export const OPERATION_SHARES = { update: 0.3, delete: 0.2 } as const;

/**
 * The keys of a workload: `count` keys, two thirds products (schema-validated index) and one third events
 * (schema-less index whose `amount` is mapped as a long).
 *
 * @example
 * workloadKeys(300).length; // 300
 */
export function workloadKeys(count: number): ChaosKey[] {
  if (!Number.isInteger(count) || count < 3) throw new InvalidBenchOptionError('keys', count, 'a whole number ≥ 3');
  return Array.from({ length: count }, (_, position) => keyFor(position % 3 === 2 ? 'event' : 'product', `k${position}`));
}

/** Poison keys are distinct from the workload keys, so that each is fixed exactly once, at the end. */
export function poisonKeys(count: number): ChaosKey[] {
  return Array.from({ length: count }, (_, position) => keyFor(position % 2 === 0 ? 'product' : 'event', `poison${position}`));
}

function keyFor(entity: ChaosEntity, id: string): ChaosKey {
  return entity === 'product' ? { pk: `PRODUCT#${id}`, sk: 'PRODUCT', entity } : { pk: `EVENT#${id}`, sk: 'EVENT', entity };
}

/**
 * Generates random operations over `keys`, tracking which items exist so that updates only touch existing
 * items (an update of a missing item would create a partial one). Per key, operations are meant to be
 * applied in generation order.
 *
 * @example
 * const next = operationGenerator(createPrng(7), workloadKeys(300));
 * const op = next();
 */
export function operationGenerator(random: Prng, keys: readonly ChaosKey[]): () => ChaosOperation {
  const exists = new Set<string>();
  let version = 0;
  return () => {
    const key = random.chance(0.2) ? (keys[random.int(Math.min(10, keys.length))] as ChaosKey) : random.pick(keys);
    const id = `${key.pk}|${key.sk}`;
    const roll = random.next();
    version += 1;
    if (roll < OPERATION_SHARES.delete) {
      exists.delete(id);
      return { kind: 'delete', key };
    }
    if (roll < OPERATION_SHARES.delete + OPERATION_SHARES.update && exists.has(id))
      return { kind: 'update', key, set: updateFor(random, key, version) };
    exists.add(id);
    return { kind: 'put', key, item: validItem(random, key, version) };
  };
}

/**
 * A valid item of the key's entity.
 *
 * @example
 * validItem(createPrng(1), { pk: 'EVENT#k2', sk: 'EVENT', entity: 'event' }, 1).amount; // a whole number
 */
export function validItem(random: Prng, key: ChaosKey, version: number): ChaosItem {
  const id = key.pk.slice(key.pk.indexOf('#') + 1);
  const updatedAt = new Date(1_790_000_000_000 + version * 1000).toISOString();
  if (key.entity === 'event') {
    return { pk: key.pk, sk: key.sk, entityType: 'event', eventId: id, amount: random.int(1_000_000), note: `note ${version}`, updatedAt };
  }
  return {
    pk: key.pk,
    sk: key.sk,
    entityType: 'product',
    productId: id,
    name: `Product ${id} v${version}`,
    description: `Version ${version} of ${id}`,
    category: `category-${random.int(5)}`,
    price: random.int(100_000) / 100,
    tags: [`t${random.int(4)}`, `v${version % 3}`],
    inStock: random.chance(0.5),
    updatedAt,
  };
}

/**
 * An item that its index rejects: a product whose price is text (the zod schema refuses it) or an event whose
 * `amount` is text (OpenSearch refuses it: the field is mapped as a long).
 */
export function poisonItem(random: Prng, key: ChaosKey, version: number): { item: ChaosItem; reason: string } {
  const item = validItem(random, key, version);
  return key.entity === 'product'
    ? { item: { ...item, price: 'cheap' }, reason: 'price is text: the product schema rejects the item' }
    : { item: { ...item, amount: 'many' }, reason: 'amount is text: OpenSearch rejects it (mapped as long)' };
}

function updateFor(random: Prng, key: ChaosKey, version: number): Record<string, string | number | boolean> {
  const updatedAt = new Date(1_790_000_000_000 + version * 1000).toISOString();
  return key.entity === 'event'
    ? { amount: random.int(1_000_000), note: `updated ${version}`, updatedAt }
    : { price: random.int(100_000) / 100, inStock: random.chance(0.5), updatedAt };
}
