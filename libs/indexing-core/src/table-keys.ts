import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ResolvedSync } from '@ddb-os/sync-definition';
import { markConfigurationError } from '@ddb-os/sync-config';
import { InvalidIndexingConfigError } from './errors';

/** Where to read an existing table's key schema. */
export interface TableKeysSource {
  readonly tableName: string | undefined;
  /** A client for DescribeTable; built only when the definition does not declare the keys. */
  readonly dynamo: () => DynamoDBClient | Promise<DynamoDBClient>;
}

/**
 * The key attributes of a sync's table, partition key first: as its definition declares them (a table the
 * deployment creates), or read from the table itself with DescribeTable (an existing table: never typed twice).
 *
 * @example
 * const keys = await keyAttributesOf(syncs.named('orders'), { tableName: 'orders', dynamo: () => new DynamoDBClient({}) });
 */
export async function keyAttributesOf(sync: ResolvedSync, source: TableKeysSource): Promise<readonly string[]> {
  if (sync.declaredKeyAttributes !== undefined) return sync.declaredKeyAttributes;
  if (source.tableName === undefined)
    throw markConfigurationError(
      new InvalidIndexingConfigError([`TABLE_NAME: is required: sync "${sync.name}" reads the key attributes of its existing table`]),
    );
  const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  const client = await source.dynamo();
  let keySchema: ReadonlyArray<{ readonly AttributeName?: string; readonly KeyType?: string }> | undefined;
  try {
    keySchema = (await client.send(new DescribeTableCommand({ TableName: source.tableName }))).Table?.KeySchema;
  } catch (error) {
    // Not marked as a configuration error: the table may be momentarily unreachable, and a retry may succeed.
    throw new InvalidIndexingConfigError([
      `TABLE_NAME: cannot read the key attributes of table "${source.tableName}" (DescribeTable: ${(error as Error).message})`,
    ]);
  }
  const nameOf = (type: string) => keySchema?.find((key) => key.KeyType === type)?.AttributeName;
  const [partitionKey, sortKey] = [nameOf('HASH'), nameOf('RANGE')];
  if (partitionKey === undefined)
    throw markConfigurationError(
      new InvalidIndexingConfigError([`TABLE_NAME: DescribeTable of "${source.tableName}" returned no partition key`]),
    );
  return sortKey === undefined ? [partitionKey] : [partitionKey, sortKey];
}
