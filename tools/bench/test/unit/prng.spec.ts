import { InvalidBenchOptionError } from '../../src/errors';
import { createPrng } from '../../src/prng';

describe('createPrng', () => {
  it('gives the same sequence for the same seed', () => {
    // given two generators with one seed
    const a = createPrng(1234);
    const b = createPrng(1234);
    // when both draw
    const drawsA = Array.from({ length: 20 }, () => a.next());
    const drawsB = Array.from({ length: 20 }, () => b.next());
    // then the draws are equal, and differ from another seed's
    expect(drawsA).toEqual(drawsB);
    expect(Array.from({ length: 20 }, createPrng(1235).next)).not.toEqual(drawsA);
  });

  it('draws integers in [0, max) and floats in [0, 1)', () => {
    const random = createPrng(7);
    const ints = Array.from({ length: 1_000 }, () => random.int(5));
    const floats = Array.from({ length: 1_000 }, () => random.next());
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(floats.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('rejects a seed that is not a 32-bit unsigned integer, naming it', () => {
    expect(() => createPrng(-1)).toThrow(InvalidBenchOptionError);
    expect(() => createPrng(1.5)).toThrow('Option seed 1.5 is invalid');
  });

  it('refuses to pick from an empty list', () => {
    expect(() => createPrng(1).pick([])).toThrow('non-empty list');
  });
});
