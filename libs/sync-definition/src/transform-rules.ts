import { attributeNameProblem, mappingFromZod, UnsupportedSchemaTypeError } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import type { RouteDefinition, SyncDefinition, TransformDefinition } from './types';

/** An attribute named `__proto__` never reaches a writer (the decoder refuses it), and plain-object code loses such a field. */
export const PROTO_REFUSAL =
  'attribute name "__proto__" is not supported (JavaScript objects cannot hold it as a plain property; the stream decoder refuses it)';

const name = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .refine((value) => value !== '__proto__', PROTO_REFUSAL);

const names = z.array(name, { error: 'must be an array of attribute names' });

const transformShape = z.strictObject(
  {
    include: names.optional(),
    exclude: names.optional(),
    rename: z
      .record(z.string(), z.string({ error: 'must be a string' }).min(1, 'must not be empty'), { error: 'must map names to names' })
      .optional(),
    hash: names.optional(),
    computed: z
      .record(
        z.string(),
        z.strictObject({
          schema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, { message: 'must be a zod schema' }),
          compute: z.custom<(item: unknown) => unknown>((value) => typeof value === 'function', { message: 'must be a function' }),
        }),
        { error: 'must map field names to { schema, compute }' },
      )
      .optional(),
  },
  {
    error: (issue) => (issue.code === 'invalid_type' ? 'must be an object { include?, exclude?, rename?, hash?, computed? }' : undefined),
  },
);

/** The table's key attributes as far as the definition declares them (a created table); `undefined` for an existing one. */
export function declaredKeyAttributes(sync: Pick<SyncDefinition, 'table'>): readonly string[] | undefined {
  if (!('create' in sync.table)) return undefined;
  const { partitionKey, sortKey } = sync.table.create;
  return sortKey === undefined ? [partitionKey] : [partitionKey, sortKey];
}

/**
 * Every problem of one route's transform, each as `routes[<n>].transform.<part>: <message>`. `keyAttributes` are the
 * table's keys when known (declared for a created table; read from the table for an existing one, at cold start).
 */
export function transformIssues(
  route: RouteDefinition,
  position: number,
  sync: Pick<SyncDefinition, 'table'>,
  keyAttributes: readonly string[] | undefined = declaredKeyAttributes(sync),
): string[] {
  if (route.transform === undefined) return [];
  const at = `routes[${position}].transform`;
  const protoIssues = ownProtoIssues(route.transform, at);
  if (protoIssues.length > 0) return protoIssues;
  const parsed = transformShape.safeParse(route.transform);
  if (!parsed.success)
    return parsed.error.issues.map(
      (issue) => `${at}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
    );
  const transform = route.transform;
  const fields = route.schema ? Object.keys(route.schema.shape) : undefined;
  return [
    ...exclusiveIssues(transform, at),
    ...unknownNameIssues(transform, fields, at),
    ...keyIssues(transform, keyAttributes ?? [], at),
    ...documentFieldIssues(transform, fields, keyAttributes ?? [], at),
  ];
}

/** A `__proto__` key of `rename` or `computed` (an own property, from JSON or a computed key), which zod's record parse would lose. */
function ownProtoIssues(transform: unknown, at: string): string[] {
  if (typeof transform !== 'object' || transform === null) return [];
  return (['rename', 'computed'] as const).flatMap((part) => {
    const entries: unknown = (transform as Record<string, unknown>)[part];
    const held = typeof entries === 'object' && entries !== null && Object.hasOwn(entries, '__proto__');
    return held ? [`${at}.${part}.__proto__: ${PROTO_REFUSAL}`] : [];
  });
}

function exclusiveIssues(transform: TransformDefinition, at: string): string[] {
  const issues: string[] = [];
  if (transform.include && transform.exclude) issues.push(`${at}: give "include" or "exclude", not both`);
  const dropped = new Set(transform.exclude ?? []);
  const kept = transform.include ? new Set(transform.include) : undefined;
  const isDropped = (name: string) => dropped.has(name) || (kept !== undefined && !kept.has(name));
  for (const name of transform.hash ?? []) if (isDropped(name)) issues.push(`${at}.hash: "${name}" is also dropped (include/exclude)`);
  for (const name of Object.keys(transform.rename ?? {}))
    if (isDropped(name)) issues.push(`${at}.rename.${name}: "${name}" is also dropped (include/exclude)`);
  return issues;
}

function unknownNameIssues(transform: TransformDefinition, fields: readonly string[] | undefined, at: string): string[] {
  if (fields === undefined) return [];
  const known = new Set(fields);
  const listed: Array<[string, readonly string[]]> = [
    ['include', transform.include ?? []],
    ['exclude', transform.exclude ?? []],
    ['hash', transform.hash ?? []],
    ['rename', Object.keys(transform.rename ?? {})],
  ];
  return listed.flatMap(([part, entries]) =>
    entries
      .filter((name) => !known.has(name))
      .map((name) => `${at}.${part}: "${name}" is not a field of the route's schema (fields: ${fields.join(', ')})`),
  );
}

function keyIssues(transform: TransformDefinition, keys: readonly string[], at: string): string[] {
  const why = 'document ids, tombstones and verify find documents by the table key';
  const touched: Array<[string, readonly string[]]> = [
    ['exclude', transform.exclude ?? []],
    ['hash', transform.hash ?? []],
    ['rename', Object.keys(transform.rename ?? {})],
  ];
  return touched.flatMap(([part, entries]) =>
    entries
      .filter((name) => keys.includes(name))
      .map((name) => `${at}.${part}: "${name}" is a key attribute and is always kept as it is (${why})`),
  );
}

/** Renamed and computed fields must be valid document field names that no other field of the document already takes. */
function documentFieldIssues(
  transform: TransformDefinition,
  fields: readonly string[] | undefined,
  keys: readonly string[],
  at: string,
): string[] {
  const issues: string[] = [];
  const renamed = Object.entries(transform.rename ?? {});
  const taken = new Map<string, string>();
  for (const name of keptAttributes(transform, fields ?? [], keys)) taken.set(name, `attribute "${name}"`);
  const claim = (field: string, by: string, where: string) => {
    const problem = fieldNameProblem(field);
    if (problem) issues.push(`${where}: ${problem}`);
    const holder = taken.get(field);
    if (holder !== undefined) issues.push(`${where}: field "${field}" is already taken by ${holder}`);
    else taken.set(field, by);
  };
  for (const [from, to] of renamed) claim(to, `the rename of "${from}"`, `${at}.rename.${from}`);
  for (const field of Object.keys(transform.computed ?? {})) claim(field, `computed field "${field}"`, `${at}.computed.${field}`);
  return issues;
}

/**
 * Why a name a transform gives a document field cannot be one: reserved for the sync metadata (the writers' own
 * words), `__proto__`, dotted (OpenSearch would read an object path that may land inside another field), or a
 * field OpenSearch keeps for itself (the mapping's own words).
 */
function fieldNameProblem(field: string): string | undefined {
  const reserved = attributeNameProblem({ [field]: null });
  if (reserved !== undefined) return reserved.reason;
  if (field === '__proto__') return PROTO_REFUSAL;
  if (field.includes('.'))
    return `field "${field}" must not contain "." (OpenSearch reads it as the object path ${field.split('.').join(' → ')}): choose a plain name`;
  try {
    mappingFromZod(z.object({ [field]: z.boolean() }));
    return undefined;
  } catch (error) {
    if (error instanceof UnsupportedSchemaTypeError) return error.message;
    throw error;
  }
}

/** The attributes that keep their own name in the document (known only with a schema; the keys always). */
function keptAttributes(transform: TransformDefinition, fields: readonly string[], keys: readonly string[]): string[] {
  const renamed = new Set(Object.keys(transform.rename ?? {}));
  const dropped = new Set(transform.exclude ?? []);
  const included = transform.include ? new Set([...transform.include, ...keys]) : undefined;
  const kept = [...new Set([...keys, ...fields])].filter((name) => !renamed.has(name) && !dropped.has(name));
  return included ? kept.filter((name) => included.has(name)) : kept;
}
