import { mappingFromZod, type DocumentShapes, type IndexMappings, type JsonObject, type JsonValue } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { DocumentShapeError } from './errors';
import { applyTransform, documentSchemaOf } from './transform';
import type { RouteDefinition } from './types';

/** Document shapes of validated routes (one schema and one transform per index) for the table's key attributes. */
export function documentShapes(
  routes: readonly RouteDefinition[],
  keyAttributes: readonly string[],
  mappingDynamic: 'strict' | 'false',
): DocumentShapes {
  const byIndex = new Map(routes.map((route) => [route.index, route]));
  const routeOf = (index: string): RouteDefinition => {
    const route = byIndex.get(index);
    if (route === undefined) throw new DocumentShapeError(`index "${index}" has no route in the sync definition`);
    return route;
  };
  return {
    documentOf: (item, { index }) => {
      const route = routeOf(index);
      const parsed = route.schema ? withKeys(parseItem(item, route.schema, index), item, keyAttributes) : item;
      return route.transform ? applyTransform(parsed, route.transform, keyAttributes) : parsed;
    },
    mappingsOf: (index) => mappingsOfRoute(routeOf(index), keyAttributes, mappingDynamic),
  };
}

function parseItem(item: JsonObject, schema: z.ZodObject, index: string): JsonObject {
  // zod copies unknown keys by assignment: a loose schema would turn an own "__proto__" attribute into a prototype.
  if (schema.def.catchall !== undefined && Object.hasOwn(item, '__proto__'))
    throw new DocumentShapeError(
      `item does not fit the schema of index "${index}": attribute "__proto__" cannot pass a zod schema (it would be lost)`,
    );
  const result = schema.safeParse(item);
  if (result.success) return result.data as JsonObject;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`).join('; ');
  throw new DocumentShapeError(`item does not fit the schema of index "${index}": ${issues}`);
}

/** Key attributes are always kept, even by a schema that does not list them (it describes the entity only). */
function withKeys(parsed: JsonObject, item: JsonObject, keyAttributes: readonly string[]): JsonObject {
  const missing = keyAttributes.filter((name) => !Object.hasOwn(parsed, name) && Object.hasOwn(item, name));
  return missing.length === 0 ? parsed : { ...Object.fromEntries(missing.map((name) => [name, item[name] as JsonValue])), ...parsed };
}

/**
 * Mappings derived so far, by schema, then transform and (mappingDynamic, key attributes): `defineSyncs` derives every
 * route's mappings to refuse a schema OpenSearch cannot map, and the index bootstrap asks for the same ones at the first
 * write (validation sees the routes as zod copied them: the schema and transform objects are the ones the user wrote).
 */
const derivedMappings = new WeakMap<z.ZodObject, Map<unknown, Map<string, IndexMappings>>>();

function mappingsOfRoute(route: RouteDefinition, keyAttributes: readonly string[], mappingDynamic: 'strict' | 'false'): IndexMappings {
  if (!route.schema) return deriveMappings(route, keyAttributes, mappingDynamic);
  const bySchema = derivedMappings.get(route.schema) ?? new Map<unknown, Map<string, IndexMappings>>();
  derivedMappings.set(route.schema, bySchema);
  const byTransform = bySchema.get(route.transform) ?? new Map<string, IndexMappings>();
  bySchema.set(route.transform, byTransform);
  const key = `${mappingDynamic}\u0000${keyAttributes.join('\u0000')}`;
  const derived = byTransform.get(key) ?? deriveMappings(route, keyAttributes, mappingDynamic);
  byTransform.set(key, derived);
  // A copy each time: the caller may add to its mappings without changing what the next one gets.
  return structuredClone(derived);
}

function deriveMappings(route: RouteDefinition, keyAttributes: readonly string[], mappingDynamic: 'strict' | 'false'): IndexMappings {
  const keyFields = Object.fromEntries(keyAttributes.map((name) => [name, { type: 'keyword' as const }]));
  if (!route.schema) return { ...mappingFromZod(z.object({}), { extraProperties: keyFields }), dynamic: true };
  const schema = documentSchemaOf(route.schema, route.transform, keyAttributes);
  const extraProperties = Object.fromEntries(Object.entries(keyFields).filter(([name]) => !(name in schema.shape)));
  // Without `dynamic`, mappingFromZod keeps a loose schema loose (its documents carry fields it does not declare).
  return mappingFromZod(schema, { ...(mappingDynamic === 'false' && { dynamic: false }), extraProperties });
}
