import { InvalidIndexRoutesError, validateIndexRoutes } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { defineSyncs, InvalidSyncDefinitionError, SERVERLESS_REFUSAL } from '../../src';
import {
  anExistingTableSync,
  anOrdersSync,
  DOMAIN_ARN,
  DOMAIN_ENDPOINT,
  issuesOf,
  issuesOfSync,
  orderSchema,
  STREAM_ARN,
  TABLE_ARN,
} from '../helpers/definition-factories';

/** What the Lambda's own route validator says about these routes (the definition must say the same). */
function runtimeProblemsOf(routes: unknown): readonly string[] {
  try {
    validateIndexRoutes(routes);
  } catch (error) {
    if (error instanceof InvalidIndexRoutesError) return error.problems;
    throw error;
  }
  throw new Error('expected InvalidIndexRoutesError');
}

/** The routes as the Lambda reads them: each schema named after the first route that uses it. */
function asRuntimeRoutes(routes: ReadonlyArray<Record<string, unknown>>): unknown[] {
  return routes.map(({ schema, ...route }) => {
    const first = routes.findIndex((other) => other.schema === schema);
    return schema === undefined ? route : { ...route, schema: `routes[${first}].schema` };
  });
}

describe('defineSyncs: a valid definition', () => {
  it('resolves each sync by name with its runtime routes, keys and defaults', () => {
    // given
    const definition = anOrdersSync({ table: { create: { partitionKey: 'orderId', sortKey: 'line' } } });

    // when
    const syncs = defineSyncs({ syncs: [definition] });

    // then
    const orders = syncs.named('orders');
    expect(syncs.names).toEqual(['orders']);
    expect(syncs.all()).toEqual([orders]);
    expect(orders.definition).toBe(definition);
    expect(orders.routes).toEqual([{ index: 'orders', match: { always: true }, schema: 'routes[0].schema' }]);
    expect(orders.declaredKeyAttributes).toEqual(['orderId', 'line']);
    expect(orders.mode).toBe('direct');
    expect(orders.mappingDynamic).toBe('strict');
    expect(orders.versionAttribute).toBeUndefined();
    expect(orders.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('leaves the key attributes of an existing table to be read from the table', () => {
    expect(defineSyncs({ syncs: [anExistingTableSync()] }).named('orders').declaredKeyAttributes).toBeUndefined();
    expect(defineSyncs({ syncs: [anExistingTableSync({ table: { existing: { arn: TABLE_ARN } } })] }).names).toEqual(['orders']);
  });

  it('refuses an unknown sync name, naming the syncs it has', () => {
    const syncs = defineSyncs({
      syncs: [anOrdersSync(), anOrdersSync({ name: 'invoices', routes: [{ index: 'invoices', match: { always: true } }] })],
    });

    expect(() => syncs.named('order')).toThrow('no sync named "order"; the definition has: orders, invoices');
    expect(() => syncs.named(undefined)).toThrow('no sync named (set --sync or SYNC_NAME); the definition has: orders, invoices');
  });
});

describe('defineSyncs: the definition itself', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'orders'],
    ['no syncs array', { syncs: { name: 'orders' } }],
  ])('refuses %s', (_what, definition) => {
    expect(issuesOf(definition)).toEqual(['(definition): must be { syncs: [...] }']);
  });

  it('refuses an empty list of syncs', () => {
    expect(issuesOf({ syncs: [] })).toEqual(['syncs: must list at least one sync']);
  });

  it('refuses an unknown key beside syncs (a misspelt option must not be ignored)', () => {
    expect(issuesOf({ syncs: [anOrdersSync()], sycns: [] })).toEqual([
      '(definition): unknown key "sycns"; the definition is { syncs: [...] }',
    ]);
  });

  it.each([
    ['null', null],
    ['a string', 'orders'],
    ['an array', [anOrdersSync()]],
  ])('refuses a sync that is %s, naming its position', (_what, sync) => {
    expect(issuesOf({ syncs: [anOrdersSync(), sync] })).toEqual(['syncs[1]: must be an object { name, table, domain, routes, ... }']);
  });

  it('lists every problem of every sync, each with its path, in one error that is a configuration error', () => {
    // when
    const error = (() => {
      try {
        defineSyncs({ syncs: [anOrdersSync({ mode: 'fast' }), anOrdersSync({ name: 'x_y', routes: [] })] });
      } catch (caught) {
        return caught as InvalidSyncDefinitionError;
      }
      throw new Error('expected a refusal');
    })();

    // then
    expect(error).toBeInstanceOf(InvalidSyncDefinitionError);
    expect(error.issues).toEqual([
      'syncs[0] "orders".mode: must be direct or buffered',
      'syncs[1] "x_y".name: must be 1–40 lowercase letters, digits or -, starting with a letter',
      'syncs[1] "x_y".routes: must list at least one route',
    ]);
    expect(error.message).toBe(`Invalid sync definition:\n  - ${error.issues.join('\n  - ')}`);
  });
});

describe('defineSyncs: names and options', () => {
  it.each([
    ['upper case', 'Orders', 'syncs[0] "Orders".name: must be 1–40 lowercase letters, digits or -, starting with a letter'],
    ['empty', '', 'syncs[0] "".name: must be 1–40 lowercase letters, digits or -, starting with a letter'],
    ['a leading digit', '1orders', 'syncs[0] "1orders".name: must be 1–40 lowercase letters, digits or -, starting with a letter'],
    [
      '41 characters',
      `o${'r'.repeat(40)}`,
      `syncs[0] "o${'r'.repeat(40)}".name: must be 1–40 lowercase letters, digits or -, starting with a letter`,
    ],
    ['__proto__', '__proto__', 'syncs[0] "__proto__".name: must be 1–40 lowercase letters, digits or -, starting with a letter'],
    ['a number', 7, 'syncs[0].name: must be a string'],
    ['missing', undefined, 'syncs[0].name: must be a string'],
  ])('refuses a sync name that is %s', (_what, name, issue) => {
    expect(issuesOfSync({ name })).toEqual([issue]);
  });

  it.each([
    [{ mode: 'fast' }, 'syncs[0] "orders".mode: must be direct or buffered'],
    [{ mappingDynamic: false }, 'syncs[0] "orders".mappingDynamic: must be strict or false'],
    [{ versionAttribute: '' }, 'syncs[0] "orders".versionAttribute: must not be empty'],
    [{ versionAttribute: 3 }, 'syncs[0] "orders".versionAttribute: must be a string'],
    [{ failures: { destination: 'sns' } }, 'syncs[0] "orders".failures.destination: must be sqs or s3'],
    [{ failures: { retryAttempts: '3' } }, 'syncs[0] "orders".failures.retryAttempts: must be a number'],
    [{ failures: { retryAttempts: 1.5 } }, 'syncs[0] "orders".failures.retryAttempts: must be a whole number'],
    [{ failures: { maxRecordAgeHours: 169 } }, 'syncs[0] "orders".failures.maxRecordAgeHours: must be ≤ 168'],
    [{ failures: { archiveExpiryDays: 30 } }, 'syncs[0] "orders".failures.archiveExpiryDays: must be ≥ 91'],
    [{ failures: { retries: 3 } }, 'syncs[0] "orders".failures: Unrecognized key: "retries"'],
    [{ stream: { batchSize: 0 } }, 'syncs[0] "orders".stream.batchSize: must be ≥ 1'],
    [{ stream: { batchSize: 10_001 } }, 'syncs[0] "orders".stream.batchSize: must be ≤ 10000'],
    [{ stream: { maxBatchingWindowSeconds: 301 } }, 'syncs[0] "orders".stream.maxBatchingWindowSeconds: must be ≤ 300'],
    [{ stream: { parallelizationFactor: 11 } }, 'syncs[0] "orders".stream.parallelizationFactor: must be ≤ 10'],
    [{ routes: 'orders' }, 'syncs[0] "orders".routes: must be an array of routes'],
    [{ routes: [] }, 'syncs[0] "orders".routes: must list at least one route'],
    [{ indexes: [] }, 'syncs[0] "orders": Unrecognized key: "indexes"'],
  ])('refuses %j naming the option', (overrides, issue) => {
    expect(issuesOfSync(overrides)).toEqual([issue]);
  });

  it('refuses __proto__ as a key or version attribute (the stream decoder refuses such attributes: nothing could be indexed)', () => {
    const refusal =
      'attribute name "__proto__" is not supported (JavaScript objects cannot hold it as a plain property; the stream decoder refuses it)';
    expect(issuesOfSync({ table: { create: { partitionKey: '__proto__' } } })).toEqual([
      `syncs[0] "orders".table.create.partitionKey: ${refusal}`,
    ]);
    expect(issuesOfSync({ versionAttribute: '__proto__' })).toEqual([`syncs[0] "orders".versionAttribute: ${refusal}`]);
  });
});

describe('defineSyncs: tables', () => {
  it.each([
    [{ create: { partitionKey: 'orderId', sortKey: 'orderId' } }, 'syncs[0] "orders".table.create.sortKey: must differ from partitionKey'],
    [{ create: { partitionKey: '' } }, 'syncs[0] "orders".table.create.partitionKey: must not be empty'],
    [{ create: { partitionKey: 'a'.repeat(256) } }, 'syncs[0] "orders".table.create.partitionKey: must be at most 255 characters'],
    [{ create: {} }, 'syncs[0] "orders".table.create.partitionKey: must be a string'],
    [{ create: { partitionKey: 'orderId', removal: 'delete' } }, 'syncs[0] "orders".table.create.removal: must be retain or destroy'],
    [{ create: { partitionKey: 'orderId', sortkey: 'line' } }, 'syncs[0] "orders".table.create: Unrecognized key: "sortkey"'],
    [{ create: { partitionKey: 'orderId' }, existing: { name: 'orders' } }, 'syncs[0] "orders".table: Unrecognized key: "existing"'],
    [{ existing: {} }, 'syncs[0] "orders".table.existing: give exactly one of "name" and "arn"'],
    [{ existing: { name: 'orders', arn: TABLE_ARN } }, 'syncs[0] "orders".table.existing: give exactly one of "name" and "arn"'],
    [{ existing: { name: 'or' } }, 'syncs[0] "orders".table.existing.name: must be a DynamoDB table name (3–255 letters, digits, _ . -)'],
    [
      { existing: { arn: 'arn:aws:dynamodb:eu-west-1:123:table/orders' } },
      'syncs[0] "orders".table.existing.arn: must be a table ARN, e.g. arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    ],
    [
      { existing: { name: 'orders', streamArn: TABLE_ARN } },
      'syncs[0] "orders".table.existing.streamArn: must be the table stream ARN (aws dynamodb describe-table --query Table.LatestStreamArn)',
    ],
    [{ existing: { name: 'orders', globalTable: 'yes' } }, 'syncs[0] "orders".table.existing.globalTable: must be true or false'],
    [{ existing: { name: 42 } }, 'syncs[0] "orders".table.existing.name: must be a string'],
    [{ existing: { name: 'orders', streamArn: 7 } }, 'syncs[0] "orders".table.existing.streamArn: must be a string'],
    ['orders', 'syncs[0] "orders".table: must be one of { create: { partitionKey, sortKey? } } or { existing: { name | arn, streamArn } }'],
    [[], 'syncs[0] "orders".table: must be one of { create: { partitionKey, sortKey? } } or { existing: { name | arn, streamArn } }'],
    [
      { name: 'orders' },
      'syncs[0] "orders".table: must be one of { create: { partitionKey, sortKey? } } or { existing: { name | arn, streamArn } }',
    ],
  ])('refuses the table %j', (table, issue) => {
    expect(issuesOfSync({ table })).toEqual([issue]);
  });

  it("refuses a stream ARN of another table (the deployment would index another table's changes)", () => {
    const otherStream = 'arn:aws:dynamodb:eu-west-1:123456789012:table/invoices/stream/2026-01-01T00:00:00.000';

    expect(issuesOfSync({ table: { existing: { name: 'orders', streamArn: otherStream } } })).toEqual([
      'syncs[0] "orders".table.existing.streamArn: is a stream of table "invoices", not of the table "orders"',
    ]);
    expect(issuesOfSync({ table: { existing: { arn: TABLE_ARN.replace('eu-west-1', 'us-east-1'), streamArn: STREAM_ARN } } })).toEqual([
      `syncs[0] "orders".table.existing.streamArn: is a stream of table "arn:aws:dynamodb:eu-west-1:123456789012:table/orders", not of the table "${TABLE_ARN.replace('eu-west-1', 'us-east-1')}"`,
    ]);
    expect(defineSyncs({ syncs: [anOrdersSync({ table: { existing: { arn: TABLE_ARN, streamArn: STREAM_ARN } } })] }).names).toEqual([
      'orders',
    ]);
  });
});

describe('defineSyncs: domains', () => {
  it.each([
    [
      { create: { instanceType: 't3.small' } },
      'syncs[0] "orders".domain.create.instanceType: must be an instance type such as t3.small.search',
    ],
    [{ create: { dataNodes: 0 } }, 'syncs[0] "orders".domain.create.dataNodes: must be ≥ 1'],
    [{ create: { volumeGiB: 5 } }, 'syncs[0] "orders".domain.create.volumeGiB: must be ≥ 10'],
    [{ create: { nodes: 2 } }, 'syncs[0] "orders".domain.create: Unrecognized key: "nodes"'],
    [
      { existing: { endpoint: 'search-shop.eu-west-1.es.amazonaws.com', arn: DOMAIN_ARN } },
      'syncs[0] "orders".domain.existing.endpoint: must be an http(s) URL, e.g. https://search-x.eu-west-1.es.amazonaws.com',
    ],
    [
      { existing: { endpoint: DOMAIN_ENDPOINT, arn: 'arn:aws:es:eu-west-1:123456789012:collection/shop' } },
      'syncs[0] "orders".domain.existing.arn: must be a domain ARN, e.g. arn:aws:es:eu-west-1:123456789012:domain/search',
    ],
    [
      { existing: { endpoint: DOMAIN_ENDPOINT } },
      'syncs[0] "orders".domain.existing.arn: must be a domain ARN, e.g. arn:aws:es:eu-west-1:123456789012:domain/search',
    ],
    [
      'https://search-shop.eu-west-1.es.amazonaws.com',
      'syncs[0] "orders".domain: must be one of { create: {...} }, { existing: { endpoint, arn } } or { serverless: {...} }',
    ],
  ])('refuses the domain %j', (domain, issue) => {
    expect(issuesOfSync({ domain })).toEqual([issue]);
  });

  it('refuses OpenSearch Serverless with its reason', () => {
    // given a collection, however it is spelled
    const collection = { serverless: { collectionEndpoint: 'https://abc.eu-west-1.aoss.amazonaws.com' } };

    // then
    expect(issuesOfSync({ domain: collection })).toEqual([`syncs[0] "orders".domain.serverless: ${SERVERLESS_REFUSAL}`]);
    expect(issuesOfSync({ domain: { serverless: true } })).toEqual([`syncs[0] "orders".domain.serverless: ${SERVERLESS_REFUSAL}`]);
    expect(SERVERLESS_REFUSAL).toContain('if_seq_no/if_primary_term');
    expect(SERVERLESS_REFUSAL).toContain('docs/your-own-table.md');
  });
});

describe('defineSyncs: routes (the Lambda route validator, same words)', () => {
  it.each([
    ['a bad index name', [{ index: 'Orders', match: { always: true } }]],
    ['an unknown match', [{ index: 'orders', match: { attribute: 'type' } }]],
    [
      'a route after a catch-all',
      [
        { index: 'orders', match: { always: true } },
        { index: 'other', match: { attribute: 'type', equals: 'x' } },
      ],
    ],
    [
      'one index with two schemas',
      [
        { index: 'orders', schema: orderSchema, match: { attribute: 'type', equals: 'a' } },
        { index: 'orders', schema: orderSchema.extend({ extra: z.string() }), match: { attribute: 'type', equals: 'b' } },
      ],
    ],
  ])('refuses %s with the problems validateIndexRoutes gives the Lambda', (_what, routes) => {
    // given what the runtime says of the same routes (schemas by name, as the Lambda knows them)
    const problems = runtimeProblemsOf(asRuntimeRoutes(routes as ReadonlyArray<Record<string, unknown>>)).map(
      (problem) => `syncs[0] "orders".${problem}`,
    );

    // then
    expect(problems.length).toBeGreaterThan(0);
    expect(issuesOfSync({ routes })).toEqual(problems);
  });

  it.each([
    ['a string', 'orderSchema'],
    ['a zod string', z.string()],
    ['a plain object', { orderId: z.string() }],
  ])('refuses a schema that is %s', (_what, schema) => {
    expect(issuesOfSync({ routes: [{ index: 'orders', schema, match: { always: true } }] })).toEqual([
      'syncs[0] "orders".routes[0].schema: must be a zod object schema (z.object({...}))',
    ]);
  });

  it('refuses a misspelt route field instead of ignoring it (an ignored "transfrom" would index what it meant to drop)', () => {
    expect(issuesOfSync({ routes: [{ index: 'orders', match: { always: true }, transfrom: { exclude: ['customerEmail'] } }] })).toEqual([
      'syncs[0] "orders".routes[0]: Unrecognized key: "transfrom"',
    ]);
  });

  it('refuses a route that is not an object, naming its position', () => {
    expect(issuesOfSync({ routes: ['orders'] })).toEqual([
      'syncs[0] "orders".routes[0]: must be an object { index, match, schema?, transform? }',
    ]);
  });

  it('refuses a schema OpenSearch has no mapping for at definition time (not at the first write)', () => {
    const schema = z.object({ orderId: z.string(), placedAt: z.date() });

    expect(issuesOfSync({ routes: [{ index: 'orders', schema, match: { always: true } }] })).toEqual([
      'syncs[0] "orders".routes[0].schema: Cannot map field "placedAt" to OpenSearch: Date cannot be represented in JSON Schema',
    ]);
  });
});

describe('defineSyncs: between syncs', () => {
  const invoices = (overrides: Record<string, unknown> = {}) =>
    anOrdersSync({ name: 'invoices', routes: [{ index: 'invoices', match: { always: true } }], ...overrides });

  it('refuses two syncs of one name', () => {
    expect(issuesOf({ syncs: [anOrdersSync(), anOrdersSync({ routes: [{ index: 'other', match: { always: true } }] })] })).toEqual([
      'syncs[1] "orders": the name "orders" is already used by syncs[0] "orders"',
    ]);
  });

  it('refuses two syncs of one existing table, by name or by ARN', () => {
    const byName = anExistingTableSync();
    const byArn = invoices({ table: { existing: { arn: TABLE_ARN } } });

    expect(issuesOf({ syncs: [byName, byArn] })).toEqual(['syncs[1] "invoices": table "orders" is already used by syncs[0] "orders"']);
  });

  it('accepts two syncs of tables with one name in different accounts or regions', () => {
    const here = anExistingTableSync({ table: { existing: { arn: TABLE_ARN } } });
    const there = invoices({ table: { existing: { arn: TABLE_ARN.replace('eu-west-1', 'us-east-1') } } });

    expect(defineSyncs({ syncs: [here, there] }).names).toEqual(['orders', 'invoices']);
  });

  it('refuses two syncs writing one index of one existing domain, however its endpoint is spelt', () => {
    const second = invoices({
      domain: { existing: { endpoint: `${DOMAIN_ENDPOINT.toUpperCase()}/`, arn: DOMAIN_ARN } },
      routes: [{ index: 'orders', match: { always: true } }],
    });

    expect(issuesOf({ syncs: [anOrdersSync(), second] })).toEqual([
      'syncs[1] "invoices": index "orders" on search-shop.eu-west-1.es.amazonaws.com is already used by syncs[0] "orders"',
    ]);
  });

  it('accepts one index name on two different domains', () => {
    const elsewhere = invoices({
      domain: {
        existing: { endpoint: 'https://search-other.eu-west-1.es.amazonaws.com', arn: 'arn:aws:es:eu-west-1:123456789012:domain/other' },
      },
      routes: [{ index: 'orders', match: { always: true } }],
    });

    expect(defineSyncs({ syncs: [anOrdersSync(), elsewhere] }).names).toEqual(['orders', 'invoices']);
  });

  it('refuses one index with two transforms (one index has one document shape)', () => {
    const routes = [
      { index: 'orders', schema: orderSchema, match: { attribute: 'status', equals: 'open' }, transform: { exclude: ['internalNote'] } },
      { index: 'orders', schema: orderSchema, match: { attribute: 'status', equals: 'paid' } },
    ];

    expect(issuesOfSync({ routes })).toEqual([
      'syncs[0] "orders".routes[1].transform: index "orders" already has the transform of routes[0]; one index has one document shape: give both routes the same transform object',
    ]);
  });

  it('accepts one index reached by two routes sharing one schema and one transform', () => {
    const transform = { exclude: ['internalNote'] };
    const routes = [
      { index: 'orders', schema: orderSchema, match: { attribute: 'status', equals: 'open' }, transform },
      { index: 'orders', schema: orderSchema, match: { attribute: 'status', equals: 'paid' }, transform },
    ];

    expect(
      defineSyncs({ syncs: [anOrdersSync({ routes })] })
        .named('orders')
        .routes.map((route) => route.schema),
    ).toEqual(['routes[0].schema', 'routes[0].schema']);
  });
});
