import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Client } from '@opensearch-project/opensearch';
import type { JsonObject } from '@ddb-os/stream-decoding';
import type { RouteDefinition } from '@ddb-os/sync-definition';
import { createStreamTable, deleteTable, uniqueName } from '@ddb-os/testing';
import { demoRoutes } from './factories';

/** A table with a stream and two unique index names (products, reviews). */
export interface TestStack {
  readonly table: string;
  readonly streamArn: string;
  readonly products: string;
  readonly reviews: string;
  readonly routes: RouteDefinition[];
}

/** Creates the table of a test and picks its index names. */
export async function createTestStack(dynamo: DynamoDBClient, prefix: string): Promise<TestStack> {
  const table = uniqueName(prefix);
  const streamArn = await createStreamTable(dynamo, table);
  const products = `${table}-products`;
  const reviews = `${table}-reviews`;
  return { table, streamArn, products, reviews, routes: demoRoutes(products, reviews) };
}

/** Deletes the table and the indexes of a test. */
export async function destroyTestStack(dynamo: DynamoDBClient, openSearch: Client, stack: TestStack): Promise<void> {
  await deleteTable(dynamo, stack.table);
  await openSearch.indices.delete({ index: `${stack.products}-*,${stack.reviews}-*`, ignore_unavailable: true });
}

/** Writes items with BatchWriteItem (25 per request, unprocessed items retried). */
export async function putItems(dynamo: DynamoDBClient, table: string, items: readonly JsonObject[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let pending: WriteRequest[] = items.slice(start, start + 25).map((item) => ({ PutRequest: { Item: marshall(item) } }));
    while (pending.length > 0) {
      const response = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = response.UnprocessedItems?.[table] ?? [];
    }
  }
}

/** Documents of the read alias (tombstones hidden), by `_id`, after a refresh. */
export async function liveDocuments(openSearch: Client, index: string): Promise<Map<string, JsonObject>> {
  await openSearch.indices.refresh({ index: `${index}-write` });
  const documents = new Map<string, JsonObject>();
  let response = await openSearch.search({ index, scroll: '1m', size: 1000, body: { query: { match_all: {} } } });
  for (;;) {
    const hits = response.body.hits.hits;
    if (hits.length === 0) break;
    for (const hit of hits) documents.set(String(hit._id), hit._source as JsonObject);
    response = await openSearch.scroll({ scroll_id: String(response.body._scroll_id), scroll: '1m' });
  }
  if (response.body._scroll_id) await openSearch.clearScroll({ scroll_id: response.body._scroll_id });
  return documents;
}
