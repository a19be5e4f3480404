import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ensureIndex } from '@ddb-os/index-writer';
import { sleep } from '@ddb-os/node-io';
import { readAlias, writeAlias } from '@ddb-os/opensearch-mapping';
import type { SyncRouting } from '@ddb-os/sync-config';
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

/** The demo table, ready: its stream, and whether this call created it. */
export interface DemoTable {
  readonly streamArn: string;
  readonly created: boolean;
}

/**
 * Creates the single-table design table (`pk`/`sk` strings, on-demand, stream NEW_AND_OLD_IMAGES) unless it
 * exists, waits until it is ACTIVE, and returns its latest stream ARN.
 *
 * @example
 * const { streamArn, created } = await ensureDemoTable(dynamodb, 'demo-items');
 */
export async function ensureDemoTable(dynamodb: DynamoDBClient, tableName: string): Promise<DemoTable> {
  const created = (await describeTable(dynamodb, tableName)) === undefined;
  if (created) {
    await createTable(dynamodb, tableName);
  }
  return { streamArn: await activeStreamArn(dynamodb, tableName), created };
}

async function activeStreamArn(dynamodb: DynamoDBClient, tableName: string): Promise<string> {
  const deadline = Date.now() + TABLE_READY_TIMEOUT_MS;
  for (;;) {
    const table = await describeTable(dynamodb, tableName);
    if (table?.TableStatus === 'ACTIVE') {
      const viewType = table.StreamSpecification?.StreamViewType;
      if (!table.LatestStreamArn || table.StreamSpecification?.StreamEnabled === false)
        throw new TableNotReadyError(tableName, 'it has no stream enabled');
      if (viewType !== 'NEW_AND_OLD_IMAGES')
        throw new TableNotReadyError(tableName, `its stream view type is ${viewType ?? 'unknown'}, the indexer needs NEW_AND_OLD_IMAGES`);
      return table.LatestStreamArn;
    }
    if (Date.now() > deadline)
      throw new TableNotReadyError(tableName, `still ${table?.TableStatus ?? 'missing'} after ${TABLE_READY_TIMEOUT_MS / 1000} s`);
    await sleep(200);
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
 * Creates the failure archive's bucket unless it exists.
 *
 * @example
 * await ensureBucket(s3, 'demo-failures');
 */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    // Another process created it between our HeadBucket and CreateBucket.
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((error as Error).name)) throw error;
  }
}

/**
 * Creates the versioned index of every route of the demo's sync with their write and filtered read aliases, unless
 * they exist, with the mappings the sync's document shapes give (`routing.shapes.mappingsOf`): the very mappings the
 * indexer, backfill and replay create, so the demo and the Lambdas cannot disagree. One node: no replicas.
 *
 * @example
 * await ensureDemoIndexes(openSearch, demoRoutingOf(config.sync));
 */
export async function ensureDemoIndexes(
  openSearch: Client,
  routing: SyncRouting,
  options: { readonly replicas?: number } = {},
): Promise<void> {
  const settings = { replicas: options.replicas ?? 0 };
  for (const index of new Set(routing.routes.map((route) => route.index)))
    await ensureIndex(openSearch, { index, mappings: routing.shapes.mappingsOf(index), settings });
}

/**
 * Deletes the physical indexes behind the demo's aliases. The local DynamoDB (moto) keeps its tables in memory
 * while OpenSearch keeps its data on disk: when the table had to be created anew, documents left from an earlier
 * table would show items that no longer exist. Returns the deleted index names.
 *
 * @example
 * if (table.created) await dropDemoIndexes(openSearch, config.indexes);
 */
export async function dropDemoIndexes(
  openSearch: Client,
  names: { readonly products: string; readonly reviews: string },
): Promise<string[]> {
  const aliases = [names.products, names.reviews].flatMap((base) => [writeAlias(base), readAlias(base)]);
  const response = await openSearch.indices.getAlias({ name: aliases.join(','), ignore_unavailable: true }, { ignore: [404] });
  // With some aliases missing, the body also holds `error` and `status` next to the indexes found.
  const entries = Object.entries((response.body ?? {}) as Record<string, unknown>);
  const indexes = entries
    .filter(([index, value]) => !index.startsWith('.') && typeof value === 'object' && value !== null && 'aliases' in value)
    .map(([index]) => index);
  if (indexes.length > 0) await openSearch.indices.delete({ index: indexes });
  return indexes;
}
