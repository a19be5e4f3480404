import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { DEFAULTS } from './constants';
import { BackfillError } from './errors';
import { sleep } from '@ddb-os/node-io';
import type { KeyType } from './table-scan';
import type { RawItem } from './types';

const MAX_UNPROCESSED_ROUNDS = 10;
const UNPROCESSED_BASE_DELAY_MS = 50;

/**
 * The DynamoDB `Key` of a JSON-safe key (as documents keep it in `ddbKeys`), typed by the table's key schema;
 * `undefined` when an attribute is missing or does not fit its type.
 *
 * @example
 * keyFromJson({ pk: 'PRODUCT#1', sk: 'PRODUCT' }, { pk: 'S', sk: 'S' }); // { pk: { S: 'PRODUCT#1' }, sk: { S: 'PRODUCT' } }
 */
export function keyFromJson(keys: JsonObject, keyTypes: Readonly<Record<string, KeyType>>): Record<string, AttributeValue> | undefined {
  const key: Record<string, AttributeValue> = {};
  for (const [name, type] of Object.entries(keyTypes)) {
    const value = keys[name];
    if (type === 'S' && typeof value === 'string') key[name] = { S: value };
    else if (type === 'N' && (typeof value === 'number' || (typeof value === 'string' && value !== ''))) key[name] = { N: String(value) };
    else if (type === 'B' && typeof value === 'string') key[name] = { B: Buffer.from(value, 'base64') };
    else return undefined;
  }
  return key;
}

/**
 * Strongly consistent BatchGetItem of any number of keys (100 per request), retrying `UnprocessedKeys` with
 * backoff. Returns the items found, in no particular order.
 */
export async function batchGetItems(
  dynamo: DynamoDBClient,
  table: string,
  keys: readonly Record<string, AttributeValue>[],
  projection?: readonly string[],
): Promise<RawItem[]> {
  const found: RawItem[] = [];
  const names =
    projection === undefined ? undefined : Object.fromEntries([...new Set(projection)].map((name, position) => [`#a${position}`, name]));
  for (let start = 0; start < keys.length; start += DEFAULTS.batchGetSize) {
    let pending: Record<string, AttributeValue>[] = keys.slice(start, start + DEFAULTS.batchGetSize);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_UNPROCESSED_ROUNDS)
        throw new BackfillError(`BatchGetItem on ${table}: ${pending.length} key(s) stayed unprocessed after ${round} rounds (throttled)`);
      if (round > 0) await sleep(Math.min(5_000, UNPROCESSED_BASE_DELAY_MS * 2 ** round));
      const response = await dynamo.send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ConsistentRead: true,
              ...(names === undefined ? {} : { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }),
            },
          },
        }),
      );
      found.push(...(response.Responses?.[table] ?? []));
      pending = response.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return found;
}
