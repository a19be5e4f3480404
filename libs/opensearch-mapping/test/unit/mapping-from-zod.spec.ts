import { z } from 'zod';
import { OpenSearchMappingError, UnsupportedSchemaTypeError } from '../../src/errors';
import { mappingFromZod } from '../../src/mapping-from-zod';
import type { FieldMapping } from '../../src/types';
import { productSchema, reviewSchema } from '../helpers/mapping-factories';

const TEXT: FieldMapping = { type: 'text', fields: { raw: { type: 'keyword', ignore_above: 256 } } };
const KEYWORD: FieldMapping = { type: 'keyword' };
const DATE: FieldMapping = { type: 'date' };

function mappingErrorOf(action: () => unknown): UnsupportedSchemaTypeError {
  try {
    action();
  } catch (error) {
    if (error instanceof UnsupportedSchemaTypeError) return error;
    throw error;
  }
  throw new Error('expected UnsupportedSchemaTypeError');
}

describe('mappingFromZod', () => {
  it('maps the demo product schema', () => {
    // when
    const mappings = mappingFromZod(productSchema());

    // then
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.properties).toMatchObject({
      pk: TEXT,
      sk: KEYWORD,
      entityType: KEYWORD,
      productId: KEYWORD,
      name: TEXT,
      description: TEXT,
      category: KEYWORD,
      price: { type: 'double' },
      tags: TEXT,
      inStock: { type: 'boolean' },
      updatedAt: DATE,
    });
  });

  it('maps the demo review schema', () => {
    // when
    const { properties } = mappingFromZod(reviewSchema());

    // then
    expect(properties).toMatchObject({
      reviewId: KEYWORD,
      rating: { type: 'long' },
      title: TEXT,
      body: TEXT,
      author: TEXT,
      createdAt: DATE,
    });
  });

  it('always adds the ddbSync metadata object and the unindexed ddbKeys object', () => {
    // when
    const { properties } = mappingFromZod(z.object({ name: z.string() }));

    // then
    expect(properties['ddbSync']).toEqual({
      properties: {
        order: KEYWORD,
        deleted: { type: 'boolean' },
        source: KEYWORD,
        sequenceNumber: KEYWORD,
        eventName: KEYWORD,
        changedAt: DATE,
        expired: { type: 'boolean' },
        indexedAt: DATE,
      },
    });
    expect(properties['ddbKeys']).toEqual({ type: 'object', enabled: false });
    expect(Object.keys(properties)).toEqual(['name', 'ddbSync', 'ddbKeys']);
  });

  it("follows a field's searchAs hint: exact-match keyword or full-text", () => {
    // given: a code that looks like free text, and a description that must stay full-text
    const schema = z.object({
      category: z.string().meta({ searchAs: 'keyword' }),
      summary: z.string().meta({ searchAs: 'text' }),
    });
    // when
    const { properties } = mappingFromZod(schema);
    // then
    expect(properties['category']).toEqual(KEYWORD);
    expect(properties['summary']).toMatchObject({ type: 'text' });
  });

  it('uses dynamic: false on request', () => {
    expect(mappingFromZod(z.object({ name: z.string() }), { dynamic: false }).dynamic).toBe(false);
  });

  it('defaults to dynamic: false for a loose schema, which accepts unknown keys', () => {
    expect(mappingFromZod(z.looseObject({ name: z.string() })).dynamic).toBe(false);
    expect(mappingFromZod(z.strictObject({ name: z.string() })).dynamic).toBe('strict');
    expect(mappingFromZod(z.looseObject({ name: z.string() }), { dynamic: 'strict' }).dynamic).toBe('strict');
  });

  it.each([
    ['z.string()', z.string(), TEXT],
    ['z.email()', z.email(), TEXT],
    ['z.enum()', z.enum(['a', 'b']), KEYWORD],
    ['z.literal("x")', z.literal('x'), KEYWORD],
    ['a union of literals', z.union([z.literal('a'), z.literal('b')]), KEYWORD],
    ['z.uuid()', z.uuid(), KEYWORD],
    ['z.ulid()', z.ulid(), KEYWORD],
    ['z.iso.duration()', z.iso.duration(), KEYWORD],
    ['z.iso.datetime()', z.iso.datetime(), DATE],
    ['z.iso.datetime({ offset: true })', z.iso.datetime({ offset: true }), DATE],
    ['z.string().datetime()', z.string().datetime(), DATE],
    ['z.iso.date()', z.iso.date(), DATE],
    ['z.int()', z.int(), { type: 'long' }],
    ['z.number().int()', z.number().int(), { type: 'long' }],
    ['z.int32()', z.int32(), { type: 'long' }],
    ['z.literal(3)', z.literal(3), { type: 'long' }],
    ['z.number()', z.number(), { type: 'double' }],
    ['z.literal(1.5)', z.literal(1.5), { type: 'double' }],
    ['z.boolean()', z.boolean(), { type: 'boolean' }],
    ['z.literal(true)', z.literal(true), { type: 'boolean' }],
    ['z.array(z.int())', z.array(z.int()), { type: 'long' }],
    ['nested arrays', z.array(z.array(z.boolean())), { type: 'boolean' }],
    ['a tuple of one type', z.tuple([z.string(), z.email()]), TEXT],
    ['a tuple of numbers', z.tuple([z.int(), z.number()]), { type: 'double' }],
    ['z.record()', z.record(z.string(), z.number()), { type: 'flat_object' }],
    ['z.string().optional()', z.string().optional(), TEXT],
    ['z.number().nullable()', z.number().nullable(), { type: 'double' }],
    ['z.iso.datetime().nullish()', z.iso.datetime().nullish(), DATE],
    ['z.string().default()', z.string().default('x'), TEXT],
    ['z.boolean().readonly()', z.boolean().readonly(), { type: 'boolean' }],
    ['z.string().brand()', z.string().brand('Name'), TEXT],
    ['z.string().catch()', z.string().catch('x'), TEXT],
    ['a transform (the stored input is mapped)', z.string().transform((value) => value.length), TEXT],
    ['z.coerce.number()', z.coerce.number(), { type: 'double' }],
    ['a union of a string and an enum', z.union([z.string(), z.enum(['a'])]), TEXT],
    ['a union of a date-time and a literal', z.union([z.iso.datetime(), z.literal('never')]), TEXT],
    ['a union of int and number', z.union([z.int(), z.number()]), { type: 'double' }],
  ])('maps a field of %s', (_case, fieldSchema, expected) => {
    // when
    const { properties } = mappingFromZod(z.object({ field: fieldSchema }));

    // then
    expect(properties['field']).toEqual(expected);
  });

  it.each([['id'], ['productId'], ['reviewIDs'], ['order_id'], ['parentIds']])('maps a string field named %s to keyword', (name) => {
    expect(mappingFromZod(z.object({ [name]: z.string() })).properties[name]).toEqual(KEYWORD);
  });

  it.each([['valid'], ['paid'], ['idea'], ['android']])('maps a string field named %s to text', (name) => {
    expect(mappingFromZod(z.object({ [name]: z.string() })).properties[name]).toEqual(TEXT);
  });

  it('keeps a numeric field named like an id numeric', () => {
    expect(mappingFromZod(z.object({ customerId: z.int() })).properties['customerId']).toEqual({ type: 'long' });
  });

  it('maps an array of identifiers to keyword', () => {
    expect(mappingFromZod(z.object({ tagIds: z.array(z.string()) })).properties['tagIds']).toEqual(KEYWORD);
  });

  it('maps nested objects and arrays of objects to properties', () => {
    // given
    const schema = z.object({
      dimensions: z.object({ width: z.number(), unit: z.enum(['cm', 'in']) }).optional(),
      variants: z.array(z.object({ sku: z.string(), stock: z.int(), variantId: z.string() })),
    });

    // when
    const { properties } = mappingFromZod(schema);

    // then
    expect(properties['dimensions']).toEqual({ properties: { width: { type: 'double' }, unit: KEYWORD } });
    expect(properties['variants']).toEqual({ properties: { sku: TEXT, stock: { type: 'long' }, variantId: KEYWORD } });
  });

  it('marks a nested loose object dynamic: false', () => {
    // given a nested object that allows any extra keys
    const schema = z.object({ attributes: z.looseObject({ color: z.string() }), sizes: z.object({ s: z.int() }).catchall(z.int()) });

    // when
    const { properties } = mappingFromZod(schema);

    // then
    expect(properties['attributes']).toEqual({ dynamic: false, properties: { color: TEXT } });
    expect(properties['sizes']).toEqual({ dynamic: false, properties: { s: { type: 'long' } } });
  });

  it('merges the members of a union of objects (e.g. a discriminated union)', () => {
    // given
    const payment = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('card'), last4: z.string(), amount: z.int() }),
      z.object({ kind: z.literal('transfer'), iban: z.string(), amount: z.number() }),
    ]);

    // when
    const { properties } = mappingFromZod(z.object({ payment }));

    // then
    expect(properties['payment']).toEqual({
      properties: { kind: KEYWORD, last4: TEXT, amount: { type: 'double' }, iban: TEXT },
    });
  });

  it('maps a nullable object and an intersection', () => {
    // given
    const schema = z.object({
      address: z.object({ city: z.string() }).nullable(),
      audit: z.intersection(z.object({ createdBy: z.string() }), z.object({ createdAt: z.iso.datetime() })),
    });

    // when
    const { properties } = mappingFromZod(schema);

    // then
    expect(properties['address']).toEqual({ properties: { city: TEXT } });
    expect(properties['audit']).toEqual({ properties: { createdBy: TEXT, createdAt: DATE } });
  });

  it('maps a schema reused twice and one registered globally with an id', () => {
    // given
    const money = z.object({ amount: z.number(), currency: z.enum(['EUR', 'USD']) }).meta({ id: 'MappingTestMoney' });
    const schema = z.object({ price: money, cost: money });

    // when
    const { properties } = mappingFromZod(schema);

    // then
    const expected = { properties: { amount: { type: 'double' }, currency: KEYWORD } };
    expect(properties['price']).toEqual(expected);
    expect(properties['cost']).toEqual(expected);
  });

  it('adds extra properties the documents carry beyond the schema', () => {
    // when
    const { properties } = mappingFromZod(z.object({ name: z.string() }), { extraProperties: { pk: KEYWORD, sk: KEYWORD } });

    // then
    expect(properties).toMatchObject({ name: TEXT, pk: KEYWORD, sk: KEYWORD });
  });

  it('returns a fresh body each time (callers may modify it)', () => {
    // given
    const first = mappingFromZod(z.object({ name: z.string() }));
    (first.properties['ddbSync'] as { properties: Record<string, unknown> }).properties['extra'] = KEYWORD;

    // when
    const second = mappingFromZod(z.object({ name: z.string() }));

    // then
    expect(second.properties['ddbSync']).not.toHaveProperty('properties.extra');
  });

  describe('unsupported schemas', () => {
    const tree = z.object({
      name: z.string(),
      get children(): z.ZodArray<typeof tree> {
        return z.array(tree);
      },
    });

    it.each([
      ['z.any()', z.object({ blob: z.any() }), 'blob', 'accepts any value (z.any, z.unknown)'],
      ['z.unknown()', z.object({ blob: z.unknown() }), 'blob', 'accepts any value (z.any, z.unknown)'],
      ['z.null()', z.object({ nothing: z.null() }), 'nothing', 'only accepts null'],
      ['z.never()', z.object({ nothing: z.never() }), 'nothing', 'accepts no value'],
      [
        'a nested z.date()',
        z.object({ a: z.object({ list: z.array(z.object({ when: z.date() })) }) }),
        'a.list[].when',
        'Date cannot be represented in JSON Schema',
      ],
      ['z.bigint()', z.object({ big: z.bigint() }), 'big', 'BigInt cannot be represented in JSON Schema'],
      [
        'a record value z.date()',
        z.object({ byDay: z.record(z.string(), z.date()) }),
        'byDay.*',
        'Date cannot be represented in JSON Schema',
      ],
      [
        'a string/number union',
        z.object({ size: z.union([z.string(), z.number()]) }),
        'size',
        'its alternatives need different OpenSearch types (text and double)',
      ],
      [
        'a conflicting union of objects',
        z.object({ v: z.union([z.object({ a: z.string() }), z.object({ a: z.boolean() })]) }),
        'v.a',
        'its alternatives need different OpenSearch types (text and boolean)',
      ],
      ['a recursive schema', z.object({ tree }), 'tree.children[]', 'is recursive; an index mapping must be finite'],
      [
        'a field name with a dot',
        z.object({ 'a.b': z.string() }),
        'a.b',
        'field names must not contain "." (OpenSearch reads it as an object path)',
      ],
      ['an empty field name', z.object({ '': z.string() }), '', 'field names must not be empty'],
      ['a reserved ddbSync field', z.object({ ddbSync: z.string() }), 'ddbSync', 'the name is reserved for sync metadata'],
      ['a reserved ddbKeys field', z.object({ ddbKeys: z.string() }), 'ddbKeys', 'the name is reserved for sync metadata'],
      ['an OpenSearch metadata field', z.object({ _id: z.string() }), '_id', 'the name is an OpenSearch metadata field'],
    ])('rejects %s, naming the field', (_case, schema, path, reason) => {
      // when
      const error = mappingErrorOf(() => mappingFromZod(schema));

      // then
      expect(error).toBeInstanceOf(OpenSearchMappingError);
      expect(error).toMatchObject({ path, reason, message: `Cannot map field "${path}" to OpenSearch: ${reason}` });
    });

    it('allows reserved names below the root', () => {
      expect(mappingFromZod(z.object({ meta: z.object({ ddbSync: z.string(), _id: z.string() }) })).properties['meta']).toEqual({
        properties: { ddbSync: TEXT, _id: KEYWORD },
      });
    });

    it('rejects an extra property the schema already declares', () => {
      const error = mappingErrorOf(() => mappingFromZod(z.object({ pk: z.string() }), { extraProperties: { pk: KEYWORD } }));
      expect(error).toMatchObject({ path: 'pk', reason: 'is declared both by the schema and in extraProperties' });
    });

    it('rejects a schema that is not an object', () => {
      const error = mappingErrorOf(() => mappingFromZod(z.string() as unknown as z.ZodObject));
      expect(error).toMatchObject({ path: '(root)', reason: 'the schema must be a z.object' });
    });
  });
});
