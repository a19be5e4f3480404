import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ensureIndex } from '@ddb-os/index-writer';
import type { IndexRoute } from '@ddb-os/opensearch-mapping';
import { TABLE_KEY_ATTRIBUTES } from '@ddb-os/schemas';
import type { Client } from '@opensearch-project/opensearch';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchRouting, type BenchIndexNames } from '../bench-definition';
import { createStreamTable, deleteTable, uniqueName } from '../local';
import { createQueue, deleteIndexes, deleteQueue } from '../resources';

/** Everything a chaos run creates (unique names: the stack is shared). */
export interface ChaosResources {
  readonly table: string;
  readonly products: string;
  readonly events: string;
  /** The index names of the run's sync (`bench-chaos` of the bench's definition). */
  readonly indexes: BenchIndexNames;
  readonly routes: readonly IndexRoute[];
  readonly dlq: { readonly url: string; readonly arn: string };
  readonly onFailure: { readonly url: string; readonly arn: string };
  readonly bucket: string;
  readonly checkpointFile: string;
}

export interface ChaosClients {
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  readonly openSearch: Client;
}

/** The sync of the bench's definition every part of the run serves. */
export const CHAOS_SYNC = 'bench-chaos';

/** The chaos table's key, as the run's sync declares it. */
export const CHAOS_KEY_ATTRIBUTES: readonly string[] = TABLE_KEY_ATTRIBUTES;

/**
 * Creates the table (with a stream), the two indexes (products: zod schema, strict mapping; events: no
 * schema, `amount` mapped as a long so that text there is refused by OpenSearch), the DLQ, the on-failure
 * queue, the archive bucket and a checkpoint directory.
 */
export async function createChaosResources(clients: ChaosClients): Promise<ChaosResources> {
  const products = uniqueName('chaos-products');
  const events = uniqueName('chaos-events');
  const indexes: BenchIndexNames = { index: products, events };
  const routing = benchRouting(CHAOS_SYNC, indexes);
  const table = uniqueName('chaos');
  await createStreamTable(clients.dynamo, table);
  await ensureIndex(clients.openSearch, { index: products, mappings: routing.shapes.mappingsOf(products) });
  const eventMappings = routing.shapes.mappingsOf(events);
  await ensureIndex(clients.openSearch, {
    index: events,
    mappings: { ...eventMappings, properties: { ...eventMappings.properties, amount: { type: 'long' } } },
  });
  const dlqName = uniqueName('chaos-dlq');
  const onFailureName = uniqueName('chaos-onfailure');
  const bucket = uniqueName('chaos-archive');
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    table,
    products,
    events,
    indexes,
    routes: routing.routes,
    dlq: { url: await createQueue(clients.sqs, dlqName), arn: queueArn(dlqName) },
    onFailure: { url: await createQueue(clients.sqs, onFailureName), arn: queueArn(onFailureName) },
    bucket,
    checkpointFile: path.join(mkdtempSync(path.join(tmpdir(), 'chaos-')), 'checkpoint.json'),
  };
}

/** Removes what `createChaosResources` created (best effort: a failed removal must not hide the run's result). */
export async function removeChaosResources(clients: ChaosClients, resources: ChaosResources): Promise<void> {
  await Promise.allSettled([
    deleteTable(clients.dynamo, resources.table),
    deleteIndexes(clients.openSearch, resources.products),
    deleteIndexes(clients.openSearch, resources.events),
    deleteQueue(clients.sqs, resources.dlq.url),
    deleteQueue(clients.sqs, resources.onFailure.url),
    emptyAndDeleteBucket(clients.s3, resources.bucket),
  ]);
  rmSync(path.dirname(resources.checkpointFile), { recursive: true, force: true });
}

async function emptyAndDeleteBucket(s3: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (keys.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

function queueArn(name: string): string {
  return `arn:aws:sqs:us-east-1:000000000000:${name}`;
}
