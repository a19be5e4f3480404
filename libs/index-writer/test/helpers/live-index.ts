import type { Client } from '@opensearch-project/opensearch';
import { mappingFromZod, physicalIndexName, readAlias, writeAlias, type JsonObject } from '@ddb-os/opensearch-mapping';
import { uniqueName } from '@ddb-os/testing';
import { z } from 'zod';
import { ensureIndex } from '../../src/ensure-index';

/** The demo document shape the integration tests index (strict mapping: unknown fields are rejected). */
export const testItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  name: z.string(),
  price: z.number().optional(),
  text: z.string().optional(),
});

/** Creates a fresh index (base name, v1, aliases) on the stack; returns its base name. */
export async function createTestIndex(client: Client, additionalSettings: Readonly<Record<string, string>> = {}): Promise<string> {
  const base = uniqueName('iw');
  await ensureIndex(client, { index: base, mappings: mappingFromZod(testItemSchema), settings: { replicas: 0 }, additionalSettings });
  return base;
}

/** Deletes the physical index of `base` (and with it both aliases). */
export async function deleteTestIndex(client: Client, base: string): Promise<void> {
  await client.indices.delete({ index: physicalIndexName(base, 1), ignore_unavailable: true });
}

/** The stored source of a document (realtime get through the write alias), or undefined. */
export async function storedSource(client: Client, base: string, id: string): Promise<JsonObject | undefined> {
  const response = await client.get({ index: writeAlias(base), id, realtime: true }, { ignore: [404] });
  const body = response.body as { found?: boolean; _source?: JsonObject };
  return body.found === true ? body._source : undefined;
}

/** `ddbSync.order` of a stored document. */
export async function storedOrder(client: Client, base: string, id: string): Promise<string | undefined> {
  const sync = (await storedSource(client, base, id))?.['ddbSync'] as { order?: string } | undefined;
  return sync?.order;
}

/** Ids a search through the read alias returns (after a test-only refresh). */
export async function searchableIds(client: Client, base: string): Promise<string[]> {
  await client.indices.refresh({ index: writeAlias(base) });
  const response = await client.search({ index: readAlias(base), body: { query: { match_all: {} }, size: 100 } });
  const hits = (response.body.hits.hits as Array<{ _id: string }>).map((hit) => hit._id);
  return hits.sort();
}
