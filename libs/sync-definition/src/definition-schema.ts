import { validateIndexRoutes, InvalidIndexRoutesError, UnsupportedSchemaTypeError, type IndexRoute } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { documentShapes } from './document-shapes';
import { declaredKeyAttributes, PROTO_REFUSAL, transformIssues } from './transform-rules';
import type { RouteDefinition, SyncDefinition } from './types';

const SYNC_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/.+$/;
const DOMAIN_ARN = /^arn:aws[a-z-]*:es:[a-z0-9-]+:\d{12}:domain\/[a-z][a-z0-9-]{2,27}$/;

const attributeName = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((name) => name !== '__proto__', PROTO_REFUSAL);
const wholeNumber = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`);
const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://search-x.eu-west-1.es.amazonaws.com' });

const createdTable = z.strictObject({
  create: z
    .strictObject({
      partitionKey: attributeName,
      sortKey: attributeName.optional(),
      removal: z.enum(['retain', 'destroy'], { error: 'must be retain or destroy' }).optional(),
    })
    .refine((keys) => keys.partitionKey !== keys.sortKey, {
      path: ['sortKey'],
      // The same name twice would give one document per partition key: items that differ by sort key would merge.
      message: 'must differ from partitionKey',
    }),
});

const existingTable = z.strictObject({
  existing: z
    .strictObject({
      name: z
        .string({ error: 'must be a string' })
        .regex(TABLE_NAME, 'must be a DynamoDB table name (3–255 letters, digits, _ . -)')
        .optional(),
      arn: z
        .string({ error: 'must be a string' })
        .regex(TABLE_ARN, 'must be a table ARN, e.g. arn:aws:dynamodb:eu-west-1:123456789012:table/orders')
        .optional(),
      streamArn: z
        .string({ error: 'must be a string' })
        .regex(STREAM_ARN, 'must be the table stream ARN (aws dynamodb describe-table --query Table.LatestStreamArn)')
        .optional(),
      globalTable: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .refine((table) => (table.name === undefined) !== (table.arn === undefined), { message: 'give exactly one of "name" and "arn"' })
    .superRefine(streamOfTheTable),
});

/** A stream ARN names its table: it must be this one (the deployment would otherwise index another table's changes). */
function streamOfTheTable(table: { name?: string; arn?: string; streamArn?: string }, context: z.RefinementCtx): void {
  const named = table.arn ?? table.name;
  if (table.streamArn === undefined || named === undefined) return;
  const streamTableArn = table.streamArn.split('/stream/')[0] ?? '';
  const streamTable = table.arn === undefined ? streamTableArn.split(':table/')[1] : streamTableArn;
  if (streamTable !== named)
    context.addIssue({
      code: 'custom',
      path: ['streamArn'],
      message: `is a stream of table "${streamTable}", not of the table "${named}"`,
    });
}

const createdDomain = z.strictObject({
  create: z.strictObject({
    instanceType: z
      .string({ error: 'must be a string' })
      .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, 'must be an instance type such as t3.small.search')
      .optional(),
    dataNodes: wholeNumber(1, 80).optional(),
    volumeGiB: wholeNumber(10, 16_384).optional(),
    removal: z.enum(['retain', 'destroy'], { error: 'must be retain or destroy' }).optional(),
  }),
});

const existingDomain = z.strictObject({
  existing: z.strictObject({
    endpoint: httpsUrl,
    arn: z
      .string({ error: 'must be a domain ARN, e.g. arn:aws:es:eu-west-1:123456789012:domain/search' })
      .regex(DOMAIN_ARN, 'must be a domain ARN, e.g. arn:aws:es:eu-west-1:123456789012:domain/search'),
  }),
});

/** Serverless is recognised so that it can be refused with its reason rather than as an unknown shape. */
export const SERVERLESS_REFUSAL =
  'OpenSearch Serverless collections are not supported: the sync orders writes by compare-and-set (if_seq_no/if_primary_term) ' +
  "after a realtime _mget, which Serverless's list of supported operations does not document, and time series and vector search " +
  'collections do not keep the document ids the sync writes by; use a managed domain ({ existing: { endpoint, arn } } or ' +
  '{ create: {...} }). See docs/your-own-table.md "OpenSearch Serverless".';

const serverless = z.strictObject({ serverless: z.unknown() }).superRefine((_value, context) => {
  context.addIssue({ code: 'custom', message: SERVERLESS_REFUSAL, path: ['serverless'] });
});

/** One of several object shapes, chosen by its distinctive key, so a bad field is reported as such. */
function oneShapeOf(description: string, shapes: ReadonlyArray<readonly [string, z.ZodType]>) {
  return z.unknown().superRefine((value, context) => {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    const shape = isObject ? shapes.find(([key]) => Object.hasOwn(value, key))?.[1] : undefined;
    if (shape === undefined) {
      context.addIssue({ code: 'custom', message: `must be one of ${description}` });
      return;
    }
    const result = shape.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) context.addIssue({ ...issue, code: 'custom', path: issue.path } as never);
  });
}

const table = oneShapeOf('{ create: { partitionKey, sortKey? } } or { existing: { name | arn, streamArn } }', [
  ['create', createdTable],
  ['existing', existingTable],
]);

const domain = oneShapeOf('{ create: {...} }, { existing: { endpoint, arn } } or { serverless: {...} }', [
  ['create', createdDomain],
  ['existing', existingDomain],
  ['serverless', serverless],
]);

const zodObject = z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, {
  message: 'must be a zod object schema (z.object({...}))',
});

// Strict: a misspelt `transfrom` ignored would index what the transform was meant to drop.
const route = z.strictObject(
  {
    index: z.unknown(),
    match: z.unknown(),
    schema: zodObject.optional(),
    transform: z.unknown().optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object { index, match, schema?, transform? }' : undefined) },
);

const syncSchema = z.strictObject(
  {
    name: z.string({ error: 'must be a string' }).regex(SYNC_NAME, 'must be 1–40 lowercase letters, digits or -, starting with a letter'),
    table,
    domain,
    routes: z.array(route, { error: 'must be an array of routes' }).min(1, 'must list at least one route'),
    versionAttribute: attributeName.optional(),
    mode: z.enum(['direct', 'buffered'], { error: 'must be direct or buffered' }).optional(),
    mappingDynamic: z.enum(['strict', 'false'], { error: 'must be strict or false' }).optional(),
    numbers: z.enum(['string', 'reject'], { error: 'must be string or reject' }).optional(),
    ttlDeletes: z.enum(['delete', 'mark-expired'], { error: 'must be delete or mark-expired' }).optional(),
    unrouted: z.enum(['skip', 'dead-letter'], { error: 'must be skip or dead-letter' }).optional(),
    failures: z
      .strictObject({
        destination: z.enum(['sqs', 's3'], { error: 'must be sqs or s3' }).optional(),
        retryAttempts: wholeNumber(0, 10_000).optional(),
        maxRecordAgeHours: wholeNumber(1, 168).optional(),
        archiveExpiryDays: wholeNumber(91, 36_500).optional(),
      })
      .optional(),
    stream: z
      .strictObject({
        batchSize: wholeNumber(1, 10_000).optional(),
        maxBatchingWindowSeconds: wholeNumber(0, 300).optional(),
        parallelizationFactor: wholeNumber(1, 10).optional(),
      })
      .optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object { name, table, domain, routes, ... }' : undefined) },
);

/**
 * Every problem of one sync, each as `<path>: <message>` (`: <message>` for the sync itself): its shape, then its
 * routes through the indexer's own route validator (`validateIndexRoutes`, so synth and cold start refuse a route set
 * with the same words), then each route's transform against its schema and the table keys, then the mappings the
 * index bootstrap will derive (so a schema OpenSearch cannot map fails here, not at the first write).
 */
export function syncIssues(input: unknown): string[] {
  const parsed = syncSchema.safeParse(input);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`);
  const sync = parsed.data as unknown as SyncDefinition;
  const issues = [...routeIssues(sync.routes), ...sync.routes.flatMap((entry, position) => transformIssues(entry, position, sync))];
  return issues.length > 0 ? issues : mappingIssues(sync);
}

function mappingIssues(sync: SyncDefinition): string[] {
  const shapes = documentShapes(sync.routes, declaredKeyAttributes(sync) ?? [], sync.mappingDynamic ?? 'strict');
  return sync.routes.flatMap((entry, position) => {
    try {
      shapes.mappingsOf(entry.index);
      return [];
    } catch (error) {
      if (!(error instanceof UnsupportedSchemaTypeError)) throw error;
      return [`routes[${position}].schema: ${error.message}`];
    }
  });
}

function routeIssues(routes: readonly RouteDefinition[]): string[] {
  try {
    validateIndexRoutes(runtimeRoutesOf(routes));
    return [];
  } catch (error) {
    if (!(error instanceof InvalidIndexRoutesError)) throw error;
    return [...error.problems];
  }
}

/**
 * The routes as the runtime's router knows them (`IndexRoute`: JSON, the schema by name). A schema is named after
 * the first route that uses it (`routes[0].schema`), so two routes of one index with different schemas are refused.
 */
export function runtimeRoutesOf(routes: readonly RouteDefinition[]): IndexRoute[] {
  const names = new Map<z.ZodObject, string>();
  return routes.map(({ index, match, schema }, position) => {
    if (schema && !names.has(schema)) names.set(schema, `routes[${position}].schema`);
    return { index, match, ...(schema && { schema: names.get(schema) }) };
  });
}

/** `routes[0].transform.exclude[1]`; the empty path (the value itself) is ''. */
export function pathOf(path: readonly PropertyKey[]): string {
  return path.map((segment, at) => (typeof segment === 'number' ? `[${segment}]` : `${at === 0 ? '' : '.'}${String(segment)}`)).join('');
}
