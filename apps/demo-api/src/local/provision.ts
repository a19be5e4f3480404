import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ensureIndex } from '@ddb-os/index-writer';
import { mappingFromZod } from '@ddb-os/opensearch-mapping';
import { indexSchemas } from '@ddb-os/schemas';
import type { Client } from '@opensearch-project/opensearch';
import { DemoApiError } from '../errors';

/** The demo table could not be made ready (no stream, or it never became ACTIVE). */
export class TableNotReadyError extends DemoApiError {
  constructor(
    public readonly tableName: string,
    public readonly problem: string,
  ) {
    super(`table ${tableName} is not usable by the demo: ${problem}`);
  }
}

const TABLE_READY_TIMEOUT_MS = 30_000;

/**
 * Creates the single-table design table (`pk`/`sk` strings, on-demand, stream NEW_AND_OLD_IMAGES) unless it
 * exists, waits until it is ACTIVE, and returns its latest stream ARN.
 *
 * @example
 * const streamArn = await ensureDemoTable(dynamodb, 'demo-items');
 */
export async function ensureDemoTable(dynamodb: DynamoDBClient, tableName: string): Promise<string> {
  if ((await describeTable(dynamodb, tableName)) === undefined) {
    await createTable(dynamodb, tableName);
  }
  const deadline = Date.now() + TABLE_READY_TIMEOUT_MS;
  for (;;) {
    const table = await describeTable(dynamodb, tableName);
    if (table?.TableStatus === 'ACTIVE') {
      const viewType = table.StreamSpecification?.StreamViewType;
      if (!table.LatestStreamArn || table.StreamSpecification?.StreamEnabled === false) throw new TableNotReadyError(tableName, 'it has no stream enabled');
      if (viewType !== 'NEW_AND_OLD_IMAGES') throw new TableNotReadyError(tableName, `its stream view type is ${viewType ?? 'unknown'}, the indexer needs NEW_AND_OLD_IMAGES`);
      return table.LatestStreamArn;
    }
    if (Date.now() > deadline) throw new TableNotReadyError(tableName, `still ${table?.TableStatus ?? 'missing'} after ${TABLE_READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function describeTable(dynamodb: DynamoDBClient, tableName: string) {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function createTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    // Another process created it between our DescribeTable and CreateTable.
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
}

/**
 * Creates an SQS queue unless it exists (CreateQueue is idempotent for equal attributes) and returns its URL.
 *
 * @example
 * const dlqUrl = await ensureQueue(sqs, 'demo-items-dlq');
 */
export async function ensureQueue(sqs: SQSClient, queueName: string): Promise<string> {
  const output = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (!output.QueueUrl) throw new DemoApiError(`CreateQueue ${queueName} returned no QueueUrl`);
  return output.QueueUrl;
}

/**
 * Creates the versioned product and review indexes with their write and filtered read aliases, with mappings
 * generated from the schemas (`indexSchemas`), unless they exist. One node: no replicas.
 *
 * @example
 * await ensureDemoIndexes(openSearch, { products: 'products', reviews: 'reviews' });
 */
export async function ensureDemoIndexes(openSearch: Client, names: { readonly products: string; readonly reviews: string }, options: { readonly replicas?: number } = {}): Promise<void> {
  const settings = { replicas: options.replicas ?? 0 };
  await ensureIndex(openSearch, { index: names.products, mappings: mappingFromZod(indexSchemas.product), settings });
  await ensureIndex(openSearch, { index: names.reviews, mappings: mappingFromZod(indexSchemas.review), settings });
}
