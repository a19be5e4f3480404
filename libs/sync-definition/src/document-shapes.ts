import { mappingFromZod, type DocumentShapes, type IndexMappings, type JsonObject } from '@ddb-os/opensearch-mapping';
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
      const parsed = route.schema ? parseItem(item, route.schema, index) : item;
      return route.transform ? applyTransform(parsed, route.transform, keyAttributes) : parsed;
    },
    mappingsOf: (index) => mappingsOfRoute(routeOf(index), keyAttributes, mappingDynamic),
  };
}

function parseItem(item: JsonObject, schema: z.ZodObject, index: string): JsonObject {
  const result = schema.safeParse(item);
  if (result.success) return result.data as JsonObject;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`).join('; ');
  throw new DocumentShapeError(`item does not fit the schema of index "${index}": ${issues}`);
}

function mappingsOfRoute(route: RouteDefinition, keyAttributes: readonly string[], mappingDynamic: 'strict' | 'false'): IndexMappings {
  const keyFields = Object.fromEntries(keyAttributes.map((name) => [name, { type: 'keyword' as const }]));
  if (!route.schema) return { ...mappingFromZod(z.object({}), { extraProperties: keyFields }), dynamic: true };
  const schema = documentSchemaOf(route.schema, route.transform, keyAttributes);
  const extraProperties = Object.fromEntries(Object.entries(keyFields).filter(([name]) => !(name in schema.shape)));
  return mappingFromZod(schema, { dynamic: mappingDynamic === 'strict' ? 'strict' : false, extraProperties });
}
