import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createPrng } from '../prng';
import { productItem } from '../product-table';
import { sleep } from '../timing';

/** Operations issued to keep several in flight when moto answers slowly. */
const IN_FLIGHT = 4;
/** Share of product numbers beyond the loaded ones (items the writer creates). */
const NEW_ITEMS_SHARE = 0.02;

/** What the writer did. */
export interface LiveWriterCounts {
  operations: number;
  updates: number;
  deletes: number;
  puts: number;
  /** Updates of an item deleted meanwhile (conditional on the item existing, so they create nothing). */
  conditionalMisses: number;
  failedOperations: number;
  /** First error of a failed operation. */
  firstError?: string;
}

/** Settings of {@link startLiveWriter}. */
export interface LiveWriterSettings {
  /** Products `p0`…`p{items-1}` were loaded; the writer also creates a few beyond. */
  readonly items: number;
  readonly itemBytes: number;
  readonly ratePerSecond: number;
  readonly seed: number;
}

/**
 * Keeps changing random products of a table (the shape `product-table` loads) at a steady rate until stopped:
 * half updates, a quarter deletes, a quarter puts (re-creating deleted items or adding new ones).
 *
 * @example
 * const writer = startLiveWriter(dynamo, table, { items: 200_000, itemBytes: 256, ratePerSecond: 20, seed: 7 });
 * const counts = await writer.stop();
 */
export function startLiveWriter(
  dynamo: DynamoDBClient,
  table: string,
  settings: LiveWriterSettings,
): { readonly counts: LiveWriterCounts; stop(): Promise<LiveWriterCounts> } {
  const random = createPrng(settings.seed);
  const counts: LiveWriterCounts = { operations: 0, updates: 0, deletes: 0, puts: 0, conditionalMisses: 0, failedOperations: 0 };
  const range = Math.ceil(settings.items * (1 + NEW_ITEMS_SHARE));
  let running = true;
  const loop = async (): Promise<void> => {
    const inFlight = new Set<Promise<void>>();
    const start = Date.now();
    for (let issued = 0; running; issued += 1) {
      await sleep(start + (issued * 1000) / settings.ratePerSecond - Date.now());
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      const operation = changeOne(dynamo, table, random.int(range), random.next(), settings.itemBytes, counts).finally(() =>
        inFlight.delete(operation),
      );
      inFlight.add(operation);
    }
    await Promise.all(inFlight);
  };
  const done = loop();
  return {
    counts,
    stop: async () => {
      running = false;
      await done;
      return counts;
    },
  };
}

async function changeOne(
  dynamo: DynamoDBClient,
  table: string,
  product: number,
  dice: number,
  itemBytes: number,
  counts: LiveWriterCounts,
): Promise<void> {
  const key = marshall({ pk: `PRODUCT#p${product}`, sk: 'PRODUCT' });
  counts.operations += 1;
  try {
    if (dice < 0.5) {
      await dynamo.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET price = :price, #name = :name, updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: marshall({
            ':price': (counts.operations % 997) + 0.5,
            ':name': `Product ${product} v${counts.operations}`,
            ':at': new Date().toISOString(),
          }),
        }),
      );
      counts.updates += 1;
    } else if (dice < 0.75) {
      await dynamo.send(new DeleteItemCommand({ TableName: table, Key: key }));
      counts.deletes += 1;
    } else {
      await dynamo.send(
        new PutItemCommand({
          TableName: table,
          Item: marshall({ ...productItem(product, itemBytes, counts.operations), name: `Product ${product} put ${counts.operations}` }),
        }),
      );
      counts.puts += 1;
    }
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) counts.conditionalMisses += 1;
    else {
      counts.failedOperations += 1;
      counts.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
}
