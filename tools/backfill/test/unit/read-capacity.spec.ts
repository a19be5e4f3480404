import { InvalidOptionsError } from '../../src/errors';
import { backfillOptionsFrom, verifyOptionsFrom } from '../../src/options';
import { readCapacityLimit } from '../../src/table-scan';

describe('read capacity limits', () => {
  it('takes --max-rcu-percent of the provisioned read capacity', () => {
    expect(readCapacityLimit('orders', { provisionedReadCapacity: 400 }, { maxRcuPercent: 25 })).toBe(100);
  });

  it('takes --max-rcu as given, and no limit when neither is given', () => {
    expect(readCapacityLimit('orders', { provisionedReadCapacity: undefined }, { maxRcu: 50 })).toBe(50);
    expect(readCapacityLimit('orders', { provisionedReadCapacity: 400 }, {})).toBeUndefined();
  });

  it('refuses a percentage of an on-demand table, naming the option and the alternative', () => {
    const limit = () => readCapacityLimit('orders', { provisionedReadCapacity: undefined }, { maxRcuPercent: 25 });
    expect(limit).toThrow(InvalidOptionsError);
    expect(limit).toThrow(/--max-rcu-percent: table orders is on-demand .*give --max-rcu/);
  });

  it('validates --max-rcu-percent and refuses it with --max-rcu or an export', () => {
    expect(backfillOptionsFrom({ table: 'orders', maxRcuPercent: '30' }).options.source).toMatchObject({ kind: 'scan', maxRcuPercent: 30 });
    expect(verifyOptionsFrom({ table: 'orders', maxRcuPercent: '30' }).options.maxRcuPercent).toBe(30);
    expect(() => backfillOptionsFrom({ table: 'orders', maxRcuPercent: '150' })).toThrow(/--max-rcu-percent: must be ≤ 100/);
    expect(() => backfillOptionsFrom({ table: 'orders', maxRcu: '10', maxRcuPercent: '30' })).toThrow(
      /give either --max-rcu <units\/s> or --max-rcu-percent <p>, not both/,
    );
    expect(() => verifyOptionsFrom({ table: 'orders', maxRcu: '10', maxRcuPercent: '30' })).toThrow(/not both/);
    expect(() => backfillOptionsFrom({ export: 's3://b/p', maxRcuPercent: '30' })).toThrow(
      /--max-rcu-percent: only applies to a table Scan/,
    );
  });
});
