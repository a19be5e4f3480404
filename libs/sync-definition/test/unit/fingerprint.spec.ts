import type { JsonObject } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { defineSyncs, type SyncDefinition } from '../../src';
import { anExistingTableSync, anOrdersSync, orderSchema } from '../helpers/definition-factories';

const fingerprintOf = (definition: SyncDefinition): string => defineSyncs({ syncs: [definition] }).named(definition.name).fingerprint;
const withRoute = (route: Record<string, unknown>) =>
  anOrdersSync({ routes: [{ index: 'orders', schema: orderSchema, match: { always: true }, ...route }] });

describe('the fingerprint of a sync', () => {
  it('is equal for equal definitions built apart (new schema objects, same fields)', () => {
    const rebuilt = z.object({ ...orderSchema.shape });

    expect(fingerprintOf(withRoute({ schema: rebuilt }))).toBe(fingerprintOf(anOrdersSync()));
  });

  it('does not depend on the order the keys of an object are written in', () => {
    const reordered = {
      routes: [{ match: { always: true }, schema: orderSchema, index: 'orders' }],
      domain: anOrdersSync().domain,
      table: anOrdersSync().table,
      name: 'orders',
    };

    expect(fingerprintOf(reordered as SyncDefinition)).toBe(fingerprintOf(anOrdersSync()));
    expect(fingerprintOf(withRoute({ transform: { rename: { total: 'amount', status: 'state' } } }))).toBe(
      fingerprintOf(withRoute({ transform: { rename: { status: 'state', total: 'amount' } } })),
    );
  });

  it.each([
    ['the index', withRoute({ index: 'orders-2' })],
    ['the match', withRoute({ match: { attribute: 'status', equals: 'paid' } })],
    ['a schema field added', withRoute({ schema: orderSchema.extend({ currency: z.string() }) })],
    ['a schema field type', withRoute({ schema: orderSchema.extend({ total: z.string() }) })],
    ['a transform', withRoute({ transform: { exclude: ['internalNote'] } })],
    ['a rename', withRoute({ transform: { rename: { total: 'amount' } } })],
    ['a computed field schema', withRoute({ transform: { computed: { cents: { schema: z.string(), compute: () => '1' } } } })],
    ['the table key', anOrdersSync({ table: { create: { partitionKey: 'id' } } })],
    ['the table', anExistingTableSync()],
    ['the version attribute', anOrdersSync({ versionAttribute: 'rev' })],
    ['mappingDynamic', anOrdersSync({ mappingDynamic: 'false' })],
  ])('changes with %s', (_what, changed) => {
    expect(fingerprintOf(changed)).not.toBe(fingerprintOf(anOrdersSync()));
  });

  it('does not change with the source spelling of a compute function (a bundler rewrites it): only its field and schema count', () => {
    // given the same computed field, written twice differently (and once with other logic: documented as not detected)
    const arrow = { schema: z.number(), compute: (item: Readonly<JsonObject>) => Number(item['total']) * 100 };
    const spelled = {
      schema: z.number(),
      compute: function cents(order: Readonly<JsonObject>) {
        return Math.round(Number(order['total']) * 100);
      },
    };

    // then
    expect(fingerprintOf(withRoute({ transform: { computed: { cents: arrow } } }))).toBe(
      fingerprintOf(withRoute({ transform: { computed: { cents: spelled } } })),
    );
  });

  it('does not see what a refinement function checks either (zod keeps it out of JSON Schema): documented, like compute', () => {
    const refined = orderSchema.extend({ currency: z.string().refine((code) => code === code.toUpperCase()) });
    const plain = orderSchema.extend({ currency: z.string() });

    expect(fingerprintOf(withRoute({ schema: refined }))).toBe(fingerprintOf(withRoute({ schema: plain })));
  });

  it("changes with a field's .meta() hint (it changes the mapping)", () => {
    const keyword = orderSchema.extend({ customerEmail: z.string().meta({ searchAs: 'keyword' }) });

    expect(fingerprintOf(withRoute({ schema: keyword }))).not.toBe(
      fingerprintOf(withRoute({ schema: orderSchema.extend({ customerEmail: z.string() }) })),
    );
  });
});
