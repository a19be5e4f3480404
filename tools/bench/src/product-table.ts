import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createPrng } from './prng';

/** A table of product items (schema `product` of `@ddb-os/schemas`), as the backfill benches load it. */

/** Concurrent BatchWriteItem calls while loading. */
export const LOAD_CONCURRENCY = 4;
const BATCH_WRITE_SIZE = 25;

/** Product items of about `itemBytes` (the description fills the rest), written 25 per BatchWriteItem. */
export async function loadItems(dynamo: DynamoDBClient, table: string, items: number, itemBytes: number, seed: number): Promise<void> {
  const random = createPrng(seed);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items) {
      const first = next;
      next = Math.min(items, next + BATCH_WRITE_SIZE);
      let requests: WriteRequest[] = Array.from({ length: next - first }, (_, offset) => ({
        PutRequest: { Item: marshall(productItem(first + offset, itemBytes, random.int(100_000))) },
      }));
      while (requests.length > 0) {
        const response = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        requests = response.UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
}

/** Product number `position`, of about `itemBytes` as JSON (the description fills the rest). */
export function productItem(position: number, itemBytes: number, price: number): Record<string, unknown> {
  const productId = `p${position}`;
  const item = {
    pk: `PRODUCT#${productId}`,
    sk: 'PRODUCT',
    entityType: 'product',
    productId,
    name: `Product ${position}`,
    description: '',
    category: `category-${position % 20}`,
    price: price / 100,
    tags: ['bench', `t${position % 7}`],
    inStock: position % 3 !== 0,
    updatedAt: new Date(1_790_000_000_000 + position * 1000).toISOString(),
  };
  return {
    ...item,
    description: 'lorem ipsum '.repeat(Math.ceil(itemBytes / 12)).slice(0, Math.max(0, itemBytes - JSON.stringify(item).length)),
  };
}
