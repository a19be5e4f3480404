import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { DocumentShapeError } from './errors';
import type { TransformDefinition } from './types';

/**
 * The document an item (already parsed by its route's schema) becomes: computed fields from the whole item, then
 * `hash`, `include`/`exclude`, `rename`. Key attributes always pass unchanged. Pure: every writer and verify call it.
 *
 * @example
 * applyTransform({ orderId: 'o1', email: 'a@b.c', total: 5 }, { exclude: ['email'], rename: { total: 'amount' } }, ['orderId']);
 * // { orderId: 'o1', amount: 5 }
 */
export function applyTransform(item: JsonObject, transform: TransformDefinition, keyAttributes: readonly string[]): JsonObject {
  const computed = computedFields(item, transform);
  const hashed = new Set(transform.hash ?? []);
  const excluded = new Set(transform.exclude ?? []);
  const included = transform.include ? new Set(transform.include) : undefined;
  const rename = transform.rename ?? {};
  const fields = new Map<string, { readonly value: JsonValue; readonly from: string }>();
  const put = (field: string, value: JsonValue, from: string) => {
    const holder = fields.get(field);
    // Only an item beyond its schema (or without one) gets here: the definition refuses collisions it can see.
    if (holder !== undefined) throw new DocumentShapeError(`field "${field}" of ${from} would overwrite ${holder.from} of the item`);
    fields.set(field, { value, from });
  };
  const kept = Object.entries(item).filter(
    ([name]) => keyAttributes.includes(name) || !(excluded.has(name) || (included !== undefined && !included.has(name))),
  );
  const isRenamed = (name: string) => !keyAttributes.includes(name) && Object.hasOwn(rename, name);
  const valueOf = (name: string, value: JsonValue) => (!keyAttributes.includes(name) && hashed.has(name) ? hashOf(value) : value);
  // Attributes that keep their name first, so a collision always names the rename or computed field that caused it.
  for (const [name, value] of kept) if (!isRenamed(name)) put(name, valueOf(name, value), `attribute "${name}"`);
  for (const [name, value] of kept) if (isRenamed(name)) put(rename[name] as string, valueOf(name, value), `the rename of "${name}"`);
  for (const [name, value] of computed) put(name, value, `computed field "${name}"`);
  // fromEntries defines own properties, so an attribute named __proto__ stays a field.
  return Object.fromEntries([...fields].map(([field, { value }]) => [field, value])) as JsonObject;
}

function computedFields(item: JsonObject, transform: TransformDefinition): Array<[string, JsonValue]> {
  const fields: Array<[string, JsonValue]> = [];
  for (const [name, { schema, compute }] of Object.entries(transform.computed ?? {})) {
    let value: unknown;
    try {
      value = compute(item);
    } catch (error) {
      throw new DocumentShapeError(`computed field "${name}" threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (value === undefined) continue;
    const result = schema.safeParse(value);
    if (!result.success) throw new DocumentShapeError(`computed field "${name}" does not fit its schema: ${z.prettifyError(result.error)}`);
    fields.push([name, result.data as JsonValue]);
  }
  return fields;
}

/** SHA-256 hex of the value's canonical JSON (object keys sorted), so equal values hash alike whatever their key order. */
export function hashOf(value: JsonValue): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The zod schema of the documents a route writes (for the mapping): the item schema's fields as the transform leaves
 * them (hashed ones as keyword strings), plus the computed fields' schemas.
 */
export function documentSchemaOf(
  schema: z.ZodObject,
  transform: TransformDefinition | undefined,
  keyAttributes: readonly string[],
): z.ZodObject {
  if (transform === undefined) return schema;
  const hashed = new Set(transform.hash ?? []);
  const excluded = new Set(transform.exclude ?? []);
  const included = transform.include ? new Set(transform.include) : undefined;
  const rename = transform.rename ?? {};
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const isKey = keyAttributes.includes(name);
    if (!isKey && (excluded.has(name) || (included !== undefined && !included.has(name)))) continue;
    const fieldName = !isKey && Object.hasOwn(rename, name) ? (rename[name] as string) : name;
    shape[fieldName] = !isKey && hashed.has(name) ? z.string().meta({ searchAs: 'keyword' }) : field;
  }
  for (const [name, { schema: fieldSchema }] of Object.entries(transform.computed ?? {})) shape[name] = fieldSchema.optional();
  const catchall = schema.def.catchall;
  return catchall === undefined ? z.object(shape) : z.object(shape).catchall(catchall);
}
