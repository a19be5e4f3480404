import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentId, KEYS_FIELD, SYNC_FIELD, writeAlias, type JsonObject } from '@ddb-os/opensearch-mapping';
import { toJsonSafe } from '@ddb-os/stream-decoding';
import type { Client } from '@opensearch-project/opensearch';
import { compareWithTable, documentKey, type Comparison, type DeletedKey, type ExpectedDocument, type StoredDocument } from './compare';
import { CHAOS_KEY_ATTRIBUTES } from './resources';
import type { ChaosKey } from './workload';

const MGET_CHUNK = 500;

/** Where each entity type is indexed (base names). */
export type IndexOf = (entityType: string) => string | undefined;

/**
 * The final check: scans the table (strongly consistent), fetches every touched key's document from the
 * write alias (tombstones included), searches the read alias for every deleted key, and compares key by key.
 *
 * @example
 * const comparison = await verifyIndex({ dynamo, openSearch, table, touched, indexOf, entityIndex });
 */
export async function verifyIndex(context: {
  readonly dynamo: DynamoDBClient;
  readonly openSearch: Client;
  readonly table: string;
  /** Every key the run wrote (deleted ones included). */
  readonly touched: readonly ChaosKey[];
  readonly indexOf: IndexOf;
  /** Keys excluded from the comparison (poison items left unfixed), counted as parked. */
  readonly parked: ReadonlySet<string>;
}): Promise<Comparison> {
  const items = await scanTable(context.dynamo, context.table);
  const expected: ExpectedDocument[] = [];
  const deleted: DeletedKey[] = [];
  for (const key of context.touched) {
    const index = context.indexOf(key.entity);
    if (index === undefined) continue;
    const id = documentId({ pk: key.pk, sk: key.sk }, CHAOS_KEY_ATTRIBUTES);
    if (context.parked.has(documentKey(index, id))) continue;
    const item = items.get(`${key.pk}|${key.sk}`);
    if (item === undefined) deleted.push({ index, id });
    else expected.push({ index, id, document: item });
  }
  const indexes = [...new Set([...expected, ...deleted].map((entry) => entry.index))];
  await context.openSearch.indices.refresh({ index: indexes.map(writeAlias).join(',') });
  const stored = await fetchStored(context.openSearch, [...expected, ...deleted]);
  const visible = await visibleThroughReadAlias(context.openSearch, deleted);
  return compareWithTable(expected, deleted, stored, visible);
}

async function scanTable(dynamo: DynamoDBClient, table: string): Promise<Map<string, JsonObject>> {
  const items = new Map<string, JsonObject>();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }));
    for (const raw of page.Items ?? []) {
      const item = toJsonSafe(raw);
      items.set(`${String(item['pk'])}|${String(item['sk'])}`, item);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

async function fetchStored(client: Client, entries: readonly { index: string; id: string }[]): Promise<Map<string, StoredDocument>> {
  const stored = new Map<string, StoredDocument>();
  for (let start = 0; start < entries.length; start += MGET_CHUNK) {
    const chunk = entries.slice(start, start + MGET_CHUNK);
    const response = await client.mget({ body: { docs: chunk.map(({ index, id }) => ({ _index: writeAlias(index), _id: id })) } });
    const docs = (response.body as { docs?: Array<{ found?: boolean; _source?: JsonObject }> }).docs ?? [];
    docs.forEach((doc, position) => {
      const entry = chunk[position];
      if (entry === undefined || doc.found !== true || doc._source === undefined) return;
      const { [SYNC_FIELD]: sync, [KEYS_FIELD]: _keys, ...content } = doc._source;
      stored.set(documentKey(entry.index, entry.id), { content, tombstone: (sync as { deleted?: boolean } | undefined)?.deleted === true });
    });
  }
  return stored;
}

async function visibleThroughReadAlias(client: Client, deleted: readonly DeletedKey[]): Promise<Set<string>> {
  const visible = new Set<string>();
  const byIndex = new Map<string, string[]>();
  for (const { index, id } of deleted) byIndex.set(index, [...(byIndex.get(index) ?? []), id]);
  for (const [index, ids] of byIndex) {
    for (let start = 0; start < ids.length; start += MGET_CHUNK) {
      const chunk = ids.slice(start, start + MGET_CHUNK);
      const response = await client.search({ index, body: { query: { ids: { values: chunk } }, size: chunk.length, _source: false } });
      const hits = (response.body as { hits?: { hits?: Array<{ _id: string }> } }).hits?.hits ?? [];
      hits.forEach((hit) => visible.add(documentKey(index, hit._id)));
    }
  }
  return visible;
}
