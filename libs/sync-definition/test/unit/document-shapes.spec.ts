import { createHash } from 'node:crypto';
import type { IndexRoute, JsonObject } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { applyTransform, defineSyncs, documentSchemaOf, DocumentShapeError, hashOf, type RouteDefinition } from '../../src';
import { anOrdersSync, orderSchema } from '../helpers/definition-factories';

const anOrder = (overrides: JsonObject = {}): JsonObject => ({
  orderId: 'o-1',
  customerEmail: 'ada@example.com',
  status: 'paid',
  total: 12.5,
  internalNote: 'call back',
  ...overrides,
});

/** The shapes of the orders sync (key `orderId`) with one route over `orders`. */
function shapesOf(route: Omit<RouteDefinition, 'index' | 'match'>, mappingDynamic?: 'strict' | 'false') {
  const definition = anOrdersSync({
    routes: [{ index: 'orders', match: { always: true }, ...route }],
    ...(mappingDynamic && { mappingDynamic }),
  });
  return defineSyncs({ syncs: [definition] })
    .named('orders')
    .routingFor(['orderId']).shapes;
}

const ordersRoute: IndexRoute = { index: 'orders', match: { always: true } };

function shapeErrorOf(action: () => unknown): DocumentShapeError {
  try {
    action();
  } catch (error) {
    if (error instanceof DocumentShapeError) return error;
    throw error;
  }
  throw new Error('expected DocumentShapeError');
}

describe('applyTransform', () => {
  it('computes fields from the whole item before it hashes, drops and renames', () => {
    // given a transform that drops, hashes and renames the attributes the computed fields read
    const transform = {
      exclude: ['internalNote'],
      hash: ['customerEmail'],
      rename: { customerEmail: 'emailHash', total: 'amount' },
      computed: {
        emailDomain: { schema: z.string(), compute: (item: Readonly<JsonObject>) => String(item['customerEmail']).split('@')[1] },
        hasNote: { schema: z.boolean(), compute: (item: Readonly<JsonObject>) => item['internalNote'] !== undefined },
        totalCents: { schema: z.number().int(), compute: (item: Readonly<JsonObject>) => Number(item['total']) * 100 },
      },
    };

    // when
    const document = applyTransform(anOrder(), transform, ['orderId']);

    // then
    expect(document).toEqual({
      orderId: 'o-1',
      emailHash: hashOf('ada@example.com'),
      status: 'paid',
      amount: 12.5,
      emailDomain: 'example.com',
      hasNote: true,
      totalCents: 1250,
    });
  });

  it('always keeps the key attributes as they are, whatever the transform lists', () => {
    const transform = { include: ['status'], hash: ['orderId'], rename: { orderId: 'id' } };

    expect(applyTransform(anOrder(), transform, ['orderId'])).toEqual({ orderId: 'o-1', status: 'paid' });
  });

  it('hashes the canonical JSON: equal values hash alike whatever their key order', () => {
    expect(hashOf({ a: 1, b: { c: [1, 2], d: null } })).toBe(hashOf({ b: { d: null, c: [1, 2] }, a: 1 }));
    expect(hashOf([1, 2])).not.toBe(hashOf([2, 1]));
    expect(hashOf('ada@example.com')).toBe(createHash('sha256').update('"ada@example.com"').digest('hex'));
    expect(hashOf('1')).not.toBe(hashOf(1));
  });

  it('leaves a computed field out when it computes undefined', () => {
    const transform = { computed: { label: { schema: z.string(), compute: () => undefined } } };

    expect(applyTransform(anOrder(), transform, ['orderId'])).not.toHaveProperty('label');
  });

  it('refuses a computed value its schema refuses, naming the field', () => {
    const transform = { computed: { totalCents: { schema: z.number().int(), compute: () => 'lots' } } };

    const error = shapeErrorOf(() => applyTransform(anOrder(), transform, ['orderId']));

    expect(error.message).toMatch(/^computed field "totalCents" does not fit its schema: .*expected number/s);
  });

  it('refuses a compute that throws, naming the field and the reason, whatever it throws', () => {
    const throwing = (thrown: unknown) => ({
      computed: {
        label: {
          schema: z.string(),
          compute: () => {
            throw thrown;
          },
        },
      },
    });

    expect(shapeErrorOf(() => applyTransform(anOrder(), throwing(new Error('no label')), ['orderId'])).message).toBe(
      'computed field "label" threw: no label',
    );
    expect(shapeErrorOf(() => applyTransform(anOrder(), throwing('no label'), ['orderId'])).message).toBe(
      'computed field "label" threw: no label',
    );
  });

  it('keeps an attribute named __proto__ as a field, not as the prototype', () => {
    const item = JSON.parse('{"orderId":"o-1","__proto__":{"polluted":true}}') as JsonObject;

    const document = applyTransform(item, { exclude: ['internalNote'] }, ['orderId']);

    expect(Object.keys(document)).toEqual(['orderId', '__proto__']);
    expect(Object.getPrototypeOf(document)).toBe(Object.prototype);
    expect(JSON.stringify(document)).toBe('{"orderId":"o-1","__proto__":{"polluted":true}}');
  });

  it('refuses a rename or a computed field onto an attribute the item holds beyond its schema (nothing is overwritten)', () => {
    // given items not parsed by a strict schema: extra attributes pass
    const renamed = shapeErrorOf(() => applyTransform(anOrder({ amount: 3 }), { rename: { total: 'amount' } }, ['orderId']));
    const computed = shapeErrorOf(() =>
      applyTransform(anOrder({ label: 'mine' }), { computed: { label: { schema: z.string(), compute: () => 'x' } } }, ['orderId']),
    );

    // then
    expect(renamed.message).toBe('field "amount" of the rename of "total" would overwrite attribute "amount" of the item');
    expect(computed.message).toBe('field "label" of computed field "label" would overwrite attribute "label" of the item');
  });
});

describe('documentShapes.documentOf', () => {
  it('parses the item with the schema (unknown attributes dropped), then transforms it', () => {
    const shapes = shapesOf({ schema: orderSchema, transform: { exclude: ['internalNote'], rename: { total: 'amount' } } });

    expect(shapes.documentOf(anOrder({ unknown: 'x' }), ordersRoute)).toEqual({
      orderId: 'o-1',
      customerEmail: 'ada@example.com',
      status: 'paid',
      amount: 12.5,
    });
  });

  it('refuses an item that does not fit the schema, naming the fields', () => {
    const shapes = shapesOf({ schema: orderSchema });

    const error = shapeErrorOf(() => shapes.documentOf(anOrder({ total: 'twelve', status: 'lost' }), ordersRoute));

    expect(error.message).toMatch(/^item does not fit the schema of index "orders": status: .+; total: .+/);
  });

  it('keeps the key attributes even when the schema does not list them', () => {
    const shapes = shapesOf({ schema: z.object({ status: z.string() }) });

    expect(shapes.documentOf(anOrder(), ordersRoute)).toEqual({ orderId: 'o-1', status: 'paid' });
  });

  it('indexes the item as it is without a schema or transform', () => {
    expect(shapesOf({}).documentOf(anOrder(), ordersRoute)).toEqual(anOrder());
  });

  it('refuses an attribute named __proto__ that a loose schema would lose', () => {
    const shapes = shapesOf({ schema: z.looseObject({ orderId: z.string() }) });
    const item = JSON.parse('{"orderId":"o-1","__proto__":{"polluted":true}}') as JsonObject;

    expect(shapeErrorOf(() => shapes.documentOf(item, ordersRoute)).message).toBe(
      'item does not fit the schema of index "orders": attribute "__proto__" cannot pass a zod schema (it would be lost)',
    );
  });

  it('refuses an index the definition does not route to', () => {
    const shapes = shapesOf({ schema: orderSchema });

    expect(shapeErrorOf(() => shapes.documentOf(anOrder(), { index: 'invoices', match: { always: true } })).message).toBe(
      'index "invoices" has no route in the sync definition',
    );
    expect(() => shapes.mappingsOf('invoices')).toThrow(DocumentShapeError);
  });
});

describe('documentShapes.mappingsOf', () => {
  it('gives every caller the same mappings, each its own copy (derived once, at validation)', () => {
    // given the shapes of one sync
    const shapes = shapesOf({ schema: orderSchema, transform: { exclude: ['internalNote'] } });
    // when one caller changes the mappings it got
    const first = shapes.mappingsOf('orders');
    const pristine = structuredClone(first);
    first.properties['added'] = { type: 'keyword' };
    // then the next caller gets them as derived
    expect(shapes.mappingsOf('orders')).toEqual(pristine);
    expect(shapes.mappingsOf('orders')).not.toHaveProperty('properties.added');
  });

  it('maps the document a transform makes: renamed under its new name, excluded absent, hashed as keyword, computed from its schema', () => {
    // given
    const shapes = shapesOf({
      schema: orderSchema,
      transform: {
        exclude: ['internalNote'],
        hash: ['customerEmail'],
        rename: { total: 'amount' },
        computed: { placedOn: { schema: z.iso.date(), compute: () => '2026-01-01' } },
      },
    });

    // when
    const { properties, dynamic } = shapes.mappingsOf('orders');

    // then
    expect(dynamic).toBe('strict');
    expect(Object.keys(properties).sort()).toEqual(['amount', 'customerEmail', 'ddbKeys', 'ddbSync', 'orderId', 'placedOn', 'status']);
    expect(properties['customerEmail']).toEqual({ type: 'keyword' });
    expect(properties['amount']).toEqual({ type: 'double' });
    expect(properties['placedOn']).toEqual({ type: 'date' });
    expect(properties['orderId']).toEqual({ type: 'keyword' });
  });

  it('maps the keys as keywords when the schema does not list them', () => {
    expect(shapesOf({ schema: z.object({ status: z.string() }) }).mappingsOf('orders').properties['orderId']).toEqual({ type: 'keyword' });
  });

  it('keeps a loose schema loose and follows mappingDynamic for the others', () => {
    expect(shapesOf({ schema: z.looseObject({ orderId: z.string() }), transform: { rename: {} } }).mappingsOf('orders').dynamic).toBe(
      false,
    );
    expect(shapesOf({ schema: orderSchema }, 'false').mappingsOf('orders').dynamic).toBe(false);
    expect(shapesOf({}).mappingsOf('orders').dynamic).toBe(true);
  });
});

describe('documentSchemaOf', () => {
  it('is the item schema when there is no transform', () => {
    expect(documentSchemaOf(orderSchema, undefined, ['orderId'])).toBe(orderSchema);
  });

  it('keeps strict schemas strict', () => {
    const schema = documentSchemaOf(z.strictObject({ orderId: z.string(), a: z.string() }), { exclude: ['a'] }, ['orderId']);

    expect(schema.safeParse({ orderId: 'o', b: 1 }).success).toBe(false);
  });
});
