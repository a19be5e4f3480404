import fc from 'fast-check';
import { backoffDelayMs } from '../../src/backoff';

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 3000 };

  it('waits a random time up to base · 2^(attempt − 1), capped by maxDelayMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (attempt, random) => {
        const delay = backoffDelayMs(policy, attempt, () => random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(3000, 100 * 2 ** (attempt - 1)));
      }),
    );
  });

  it('spreads delays over the whole range (full jitter)', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelayMs(policy, 20, () => 0.5)).toBe(1500);
  });
});
