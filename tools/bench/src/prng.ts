import { InvalidBenchOptionError } from './errors';
import type { Prng } from './types';

/**
 * Creates a generator from a 32-bit unsigned seed.
 *
 * @example
 * const random = createPrng(42);
 * random.int(10); // always the same first value for seed 42
 */
export function createPrng(seed: number): Prng {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new InvalidBenchOptionError('seed', seed, 'an integer from 0 to 4294967295');
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (max) => Math.floor(next() * max),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new InvalidBenchOptionError('items', items, 'a non-empty list to pick from');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/** A fresh seed for a run that was not given one (printed, so the run can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0xffffffff);
}
