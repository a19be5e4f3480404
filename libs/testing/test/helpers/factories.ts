/** A function that fails `failures` times (throwing, or returning false) before returning `value`. */
export function eventually<T>(
  value: T,
  failures: number,
  how: 'throw' | 'false' = 'throw',
): { fn: () => Promise<T | false>; calls: () => number } {
  let calls = 0;
  return {
    fn: async () => {
      calls += 1;
      if (calls <= failures) {
        if (how === 'throw') throw new Error(`not yet (${calls})`);
        return false;
      }
      return value;
    },
    calls: () => calls,
  };
}
