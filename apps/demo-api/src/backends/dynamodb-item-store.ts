import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemStore, StoredItem, TableKey } from '../types';
import { callBackend } from './unavailable';

export interface DynamoItemStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * {@link ItemStore} over one DynamoDB table with `pk`/`sk` keys.
 *
 * @example
 * const store = new DynamoItemStore({ client: new DynamoDBClient({ endpoint: 'http://127.0.0.1:8000' }), tableName: 'demo-items' });
 */
export class DynamoItemStore implements ItemStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoItemStoreOptions) {
    this.documents = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
  }

  async put(item: StoredItem): Promise<StoredItem | undefined> {
    const output = await callBackend('dynamodb', () =>
      this.documents.send(new PutCommand({ TableName: this.tableName, Item: item, ReturnValues: 'ALL_OLD' })),
    );
    return output.Attributes as StoredItem | undefined;
  }

  async update(key: TableKey, changes: Readonly<Record<string, unknown>>): Promise<StoredItem | undefined> {
    const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
    if (fields.length === 0) return this.get(key);
    try {
      const output = await callBackend('dynamodb', () =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: key.pk, sk: key.sk },
            UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return output.Attributes as StoredItem | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async remove(key: TableKey): Promise<StoredItem | undefined> {
    const output = await callBackend('dynamodb', () =>
      this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ReturnValues: 'ALL_OLD' })),
    );
    return output.Attributes as StoredItem | undefined;
  }

  async get(key: TableKey): Promise<StoredItem | undefined> {
    const output = await callBackend('dynamodb', () =>
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true })),
    );
    return output.Item as StoredItem | undefined;
  }
}
