import { InvalidNamePrefixError } from '../../src/errors';
import { uniqueName } from '../../src/names';

describe('uniqueName', () => {
  it('is lowercase, starts with the prefix and is valid for tables, indexes, queues and buckets', () => {
    // when
    const name = uniqueName('Orders-Int');

    // then
    expect(name).toMatch(/^orders-int-[a-z0-9]+-[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  it('gives a different name on every call', () => {
    const names = new Set(Array.from({ length: 200 }, () => uniqueName('t')));
    expect(names.size).toBe(200);
  });

  it('stays within 63 characters for the longest prefix', () => {
    expect(uniqueName('a'.repeat(40)).length).toBeLessThanOrEqual(63);
  });

  it.each([
    ['', 'it is empty'],
    ['a'.repeat(41), 'it is longer than 40 characters'],
    ['my_table', 'use letters, digits and hyphens only'],
    ['-leading', 'use letters, digits and hyphens only'],
  ])('rejects the prefix %j saying why', (prefix, reason) => {
    expect(() => uniqueName(prefix)).toThrow(InvalidNamePrefixError);
    expect(() => uniqueName(prefix)).toThrow(reason);
  });
});
