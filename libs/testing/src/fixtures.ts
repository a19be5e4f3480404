import {
  CreateTableCommand,
  DeleteTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
  type StreamSpecification,
} from '@aws-sdk/client-dynamodb';
import { StreamNotEnabledError } from './errors';
import type { TableKeyNames } from './types';

const TABLE_WAIT_SECONDS = 30;

/**
 * Creates an on-demand table with string keys and a NEW_AND_OLD_IMAGES stream, waits until it is ACTIVE,
 * and returns the stream ARN.
 *
 * @example
 * const streamArn = await createStreamTable(dynamoClient(), uniqueName('items'), { pk: 'pk', sk: 'sk' });
 */
export async function createStreamTable(
  client: DynamoDBClient,
  name: string,
  keys: TableKeyNames = { pk: 'pk', sk: 'sk' },
): Promise<string> {
  const { created, active } = await createActiveTable(client, name, keys, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  const streamArn = created.TableDescription?.LatestStreamArn ?? tableStreamArn(active.reason);
  if (!streamArn) throw new StreamNotEnabledError(name);
  return streamArn;
}

/**
 * Creates an on-demand table with string keys and no stream (a table as it was before the sync was switched on),
 * and waits until it is ACTIVE.
 *
 * @example
 * await createTable(dynamoClient(), uniqueName('items'));
 */
export async function createTable(client: DynamoDBClient, name: string, keys: TableKeyNames = { pk: 'pk', sk: 'sk' }): Promise<void> {
  await createActiveTable(client, name, keys);
}

async function createActiveTable(client: DynamoDBClient, name: string, keys: TableKeyNames, stream?: StreamSpecification) {
  const created = await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions(keys),
      KeySchema: keySchema(keys),
      ...(stream === undefined ? {} : { StreamSpecification: stream }),
    }),
  );
  const active = await waitUntilTableExists({ client, maxWaitTime: TABLE_WAIT_SECONDS, minDelay: 1 }, { TableName: name });
  return { created, active };
}

/** Deletes a table and waits until it is gone; a table that does not exist is fine. */
export async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return;
    throw error;
  }
  await waitUntilTableNotExists({ client, maxWaitTime: TABLE_WAIT_SECONDS, minDelay: 1 }, { TableName: name });
}

function attributeDefinitions(keys: TableKeyNames): AttributeDefinition[] {
  const names = keys.sk === undefined ? [keys.pk] : [keys.pk, keys.sk];
  return names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

function keySchema(keys: TableKeyNames): KeySchemaElement[] {
  const hash: KeySchemaElement = { AttributeName: keys.pk, KeyType: 'HASH' };
  return keys.sk === undefined ? [hash] : [hash, { AttributeName: keys.sk, KeyType: 'RANGE' }];
}

function tableStreamArn(describeOutput: unknown): string | undefined {
  const table = (describeOutput as { Table?: { LatestStreamArn?: string } } | undefined)?.Table;
  return table?.LatestStreamArn;
}
