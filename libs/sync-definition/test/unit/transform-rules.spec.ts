import { attributeNameProblem } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { defineSyncs, InvalidSyncDefinitionError } from '../../src';
import { anExistingTableSync, anOrdersSync, ordersRoute, orderSchema, transformIssuesOf } from '../helpers/definition-factories';

const at = 'syncs[0] "orders".routes[0].transform';
const FIELDS = 'fields: orderId, customerEmail, status, total, internalNote';
const KEY_KEPT = 'is a key attribute and is always kept as it is (document ids, tombstones and verify find documents by the table key)';
const PROTO =
  'attribute name "__proto__" is not supported (JavaScript objects cannot hold it as a plain property; the stream decoder refuses it)';
const computedOf = (schema: z.ZodType = z.string()) => ({ schema, compute: () => 'x' });
const reservedReason = (field: string) => attributeNameProblem({ [field]: null })?.reason;

describe('transforms: their shape', () => {
  it.each([
    ['not an object', 'drop email', `${at}: must be an object { include?, exclude?, rename?, hash?, computed? }`],
    ['an unknown part', { drop: ['internalNote'] }, `${at}: Unrecognized key: "drop"`],
    ['a string list given as a string', { exclude: 'internalNote' }, `${at}.exclude: must be an array of attribute names`],
    ['an empty name', { exclude: [''] }, `${at}.exclude[0]: must not be empty`],
    ['a name that is not a string', { hash: [7] }, `${at}.hash[0]: must be a string`],
    ['a rename to nothing', { rename: { total: '' } }, `${at}.rename.total: must not be empty`],
    ['a rename to a number', { rename: { total: 3 } }, `${at}.rename.total: must be a string`],
    ['a rename that is a list', { rename: ['total'] }, `${at}.rename: must map names to names`],
    [
      'a computed field without a function',
      { computed: { label: { schema: z.string() } } },
      `${at}.computed.label.compute: must be a function`,
    ],
    [
      'a computed field with a value instead',
      { computed: { label: { schema: z.string(), compute: 'x' } } },
      `${at}.computed.label.compute: must be a function`,
    ],
    [
      'a computed field without a zod schema',
      { computed: { label: { schema: 'string', compute: () => 'x' } } },
      `${at}.computed.label.schema: must be a zod schema`,
    ],
    [
      'a computed field that is a function',
      { computed: { label: () => 'x' } },
      `${at}.computed.label: Invalid input: expected object, received function`,
    ],
  ])('refuses %s', (_what, transform, issue) => {
    expect(transformIssuesOf(transform)).toEqual([issue]);
  });
});

describe('transforms: names against the schema and each other', () => {
  it('refuses include and exclude together', () => {
    expect(transformIssuesOf({ include: ['status'], exclude: ['internalNote'] })).toEqual([`${at}: give "include" or "exclude", not both`]);
  });

  it.each(['include', 'exclude', 'hash'])('refuses a %s name that is not a field of the schema', (part) => {
    expect(transformIssuesOf({ [part]: ['email'] })).toEqual([`${at}.${part}: "email" is not a field of the route's schema (${FIELDS})`]);
  });

  it('refuses a rename of a name that is not a field of the schema', () => {
    expect(transformIssuesOf({ rename: { email: 'contact' } })).toEqual([
      `${at}.rename: "email" is not a field of the route's schema (${FIELDS})`,
    ]);
  });

  it('accepts any attribute name when the route has no schema (the item is indexed as it is)', () => {
    expect(() =>
      defineSyncs({
        syncs: [anOrdersSync({ routes: [{ index: 'orders', match: { always: true }, transform: { exclude: ['anything'] } }] })],
      }),
    ).not.toThrow();
  });

  it('refuses a hash or a rename of a dropped attribute (it would never reach the document)', () => {
    expect(transformIssuesOf({ exclude: ['customerEmail'], hash: ['customerEmail'] })).toEqual([
      `${at}.hash: "customerEmail" is also dropped (include/exclude)`,
    ]);
    expect(transformIssuesOf({ include: ['status'], rename: { total: 'amount' } })).toEqual([
      `${at}.rename.total: "total" is also dropped (include/exclude)`,
    ]);
  });

  it.each(['exclude', 'hash'])('refuses a key attribute in %s', (part) => {
    expect(transformIssuesOf({ [part]: ['orderId'] })).toEqual([`${at}.${part}: "orderId" ${KEY_KEPT}`]);
  });

  it('refuses a rename of a key attribute', () => {
    expect(transformIssuesOf({ rename: { orderId: 'id' } })).toEqual([`${at}.rename: "orderId" ${KEY_KEPT}`]);
  });

  it('accepts an include that does not list the key (keys are always kept)', () => {
    expect(() => defineSyncs({ syncs: [anOrdersSync({ routes: [ordersRoute({ include: ['status'] })] })] })).not.toThrow();
  });
});

describe('transforms: the document fields they make', () => {
  it('refuses a rename onto a kept attribute, a key, another rename or a computed field', () => {
    expect(transformIssuesOf({ rename: { total: 'status' } })).toEqual([
      `${at}.rename.total: field "status" is already taken by attribute "status"`,
    ]);
    expect(transformIssuesOf({ rename: { total: 'orderId' } })).toEqual([
      `${at}.rename.total: field "orderId" is already taken by attribute "orderId"`,
    ]);
    expect(transformIssuesOf({ rename: { total: 'amount', internalNote: 'amount' } })).toEqual([
      `${at}.rename.internalNote: field "amount" is already taken by the rename of "total"`,
    ]);
    expect(transformIssuesOf({ rename: { total: 'amount' }, computed: { amount: computedOf() } })).toEqual([
      `${at}.computed.amount: field "amount" is already taken by the rename of "total"`,
    ]);
  });

  it('accepts a rename onto a dropped or renamed attribute (its name is free)', () => {
    const routes = [ordersRoute({ exclude: ['internalNote'], rename: { total: 'internalNote', status: 'total' } })];
    expect(() => defineSyncs({ syncs: [anOrdersSync({ routes })] })).not.toThrow();
  });

  it('refuses a computed field onto a kept attribute or a key', () => {
    expect(transformIssuesOf({ computed: { status: computedOf() } })).toEqual([
      `${at}.computed.status: field "status" is already taken by attribute "status"`,
    ]);
    expect(transformIssuesOf({ computed: { orderId: computedOf() } })).toEqual([
      `${at}.computed.orderId: field "orderId" is already taken by attribute "orderId"`,
    ]);
  });

  it.each(['ddbSync', 'ddbKeys', 'ddbSync.deleted', 'ddbKeys.orderId'])(
    "refuses the reserved field %s as a rename or computed name, in the writers' words",
    (field) => {
      expect(transformIssuesOf({ rename: { total: field } })).toEqual([`${at}.rename.total: ${reservedReason(field)}`]);
      expect(transformIssuesOf({ computed: { [field]: computedOf() } })).toEqual([`${at}.computed.${field}: ${reservedReason(field)}`]);
    },
  );

  it('refuses a dotted field name (OpenSearch reads it as an object path, which may land inside another field)', () => {
    const dotted = 'field "status.code" must not contain "." (OpenSearch reads it as the object path status → code): choose a plain name';
    expect(transformIssuesOf({ rename: { total: 'status.code' } })).toEqual([`${at}.rename.total: ${dotted}`]);
    expect(transformIssuesOf({ computed: { 'status.code': computedOf() } })).toEqual([`${at}.computed.status.code: ${dotted}`]);
  });

  it('refuses an OpenSearch metadata field as a rename or computed name (every document would be refused)', () => {
    expect(transformIssuesOf({ rename: { total: '_id' } })).toEqual([
      `${at}.rename.total: Cannot map field "_id" to OpenSearch: the name is an OpenSearch metadata field`,
    ]);
    expect(transformIssuesOf({ computed: { _source: computedOf() } })).toEqual([
      `${at}.computed._source: Cannot map field "_source" to OpenSearch: the name is an OpenSearch metadata field`,
    ]);
  });

  it('refuses __proto__ wherever a transform names an attribute or a field', () => {
    // given own properties named __proto__, as JSON.parse or a computed key make them
    const own = (value: unknown): object =>
      Object.defineProperty({}, '__proto__', { value, enumerable: true, writable: true, configurable: true });

    // then
    expect(transformIssuesOf({ rename: { total: '__proto__' } })).toEqual([`${at}.rename.total: ${PROTO}`]);
    expect(issuesWithoutSchema({ rename: own('amount') })).toEqual([`${at}.rename.__proto__: ${PROTO}`]);
    expect(issuesWithoutSchema({ exclude: ['__proto__'] })).toEqual([`${at}.exclude[0]: ${PROTO}`]);
    expect(issuesWithoutSchema({ include: ['__proto__'] })).toEqual([`${at}.include[0]: ${PROTO}`]);
    expect(issuesWithoutSchema({ hash: ['__proto__'] })).toEqual([`${at}.hash[0]: ${PROTO}`]);
    expect(issuesWithoutSchema({ computed: own(computedOf()) })).toEqual([`${at}.computed.__proto__: ${PROTO}`]);
  });

  it('refuses a computed field whose schema OpenSearch cannot map', () => {
    expect(transformIssuesOf({ computed: { placedAt: computedOf(z.date()) } })).toEqual([
      'syncs[0] "orders".routes[0].schema: Cannot map field "placedAt" to OpenSearch: Date cannot be represented in JSON Schema',
    ]);
  });
});

describe('routingFor: the keys of the table', () => {
  const exclude = (names: string[]) => [ordersRoute({ exclude: names })];

  it('gives the routing for the declared keys', () => {
    const routing = defineSyncs({ syncs: [anOrdersSync({ versionAttribute: 'rev' })] })
      .named('orders')
      .routingFor(['orderId']);

    expect(routing).toMatchObject({ syncName: 'orders', keyAttributes: ['orderId'], versionAttribute: 'rev', mappingDynamic: 'strict' });
    expect(routing.routes).toEqual([{ index: 'orders', match: { always: true }, schema: 'routes[0].schema' }]);
  });

  it('refuses keys that differ from the declared ones', () => {
    const sync = defineSyncs({ syncs: [anOrdersSync({ table: { create: { partitionKey: 'orderId', sortKey: 'line' } } })] }).named(
      'orders',
    );

    expect(() => sync.routingFor(['orderId'])).toThrow(
      new InvalidSyncDefinitionError([
        'sync "orders".table: the table\'s key attributes [orderId] differ from the declared [orderId, line]',
      ]),
    );
    expect(() => sync.routingFor(['line', 'orderId'])).toThrow(
      "the table's key attributes [line, orderId] differ from the declared [orderId, line]",
    );
  });

  it.each([[[]], [['a', 'a']], [['a', 'b', 'c']]])('refuses the key list %j', (keys) => {
    const sync = defineSyncs({ syncs: [anExistingTableSync()] }).named('orders');

    expect(() => sync.routingFor(keys)).toThrow(
      `sync "orders".table: key attributes must be the partition key and at most one distinct sort key, got [${keys.join(', ')}]`,
    );
  });

  it('refuses, once the keys of an existing table are known, a transform that touches one', () => {
    // given a definition valid while the keys are unknown
    const sync = defineSyncs({ syncs: [anExistingTableSync({ routes: exclude(['orderId']) })] }).named('orders');

    // then
    expect(() => sync.routingFor(['orderId'])).toThrow(
      new InvalidSyncDefinitionError([`sync "orders".routes[0].transform.exclude: "orderId" ${KEY_KEPT}`]),
    );
    expect(() => sync.routingFor(['customerId'])).not.toThrow();
  });

  it('refuses, once the keys of an existing table are known, a rename or computed field onto a key', () => {
    const routes = [ordersRoute({ rename: { total: 'shopId' }, computed: { regionId: computedOf() } }, orderSchema)];
    const sync = defineSyncs({ syncs: [anExistingTableSync({ routes })] }).named('orders');

    expect(() => sync.routingFor(['shopId', 'regionId'])).toThrow(
      new InvalidSyncDefinitionError([
        'sync "orders".routes[0].transform.rename.total: field "shopId" is already taken by attribute "shopId"',
        'sync "orders".routes[0].transform.computed.regionId: field "regionId" is already taken by attribute "regionId"',
      ]),
    );
  });
});

function issuesWithoutSchema(transform: unknown): readonly string[] {
  try {
    defineSyncs({ syncs: [anOrdersSync({ routes: [{ index: 'orders', match: { always: true }, transform }] })] });
  } catch (error) {
    if (error instanceof InvalidSyncDefinitionError) return error.issues;
    throw error;
  }
  throw new Error('expected InvalidSyncDefinitionError');
}
