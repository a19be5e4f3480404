import { mappingFromZod, type IndexMappings } from '@ddb-os/opensearch-mapping';
import { z, type ZodObject } from 'zod';
import type { SyncTargetConfig } from './sync-target';

/**
 * The mappings of a routed index: generated from its zod schema, with the table's key attributes as
 * keywords (tombstones carry them even when the schema does not); a route without a schema maps
 * whatever the items hold dynamically, with the sync metadata mapped exactly.
 */
export function mappingsForIndex(
  index: string,
  target: Pick<SyncTargetConfig, 'routes' | 'keyAttributes' | 'mappingDynamic'>,
  schemas: Readonly<Record<string, ZodObject>>,
): IndexMappings {
  const route = target.routes.find((candidate) => candidate.index === index && candidate.schema);
  const keyFields = Object.fromEntries(target.keyAttributes.map((name) => [name, { type: 'keyword' as const }]));
  const schema = route?.schema ? schemas[route.schema] : undefined;
  if (!schema) return { ...mappingFromZod(z.object({}), { extraProperties: keyFields }), dynamic: true };
  const extraProperties = Object.fromEntries(Object.entries(keyFields).filter(([name]) => !(name in schema.shape)));
  return mappingFromZod(schema, { dynamic: target.mappingDynamic === 'strict' ? 'strict' : false, extraProperties });
}
