import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { readAlias, writeAlias } from '@ddb-os/opensearch-mapping';
import type { Client } from '@opensearch-project/opensearch';
import { DynamoItemStore } from './backends/dynamodb-item-store';
import { ArchiveFailures } from './backends/failure-archive';
import { OpenSearchSearch, productExactMatchFields } from './backends/opensearch-search';
import { demoRoutingOf } from './demo-sync';
import { ReplayCli } from './backends/replay-cli';
import { BackendSyncStatus, type RunnerStatusSource } from './backends/sync-status';
import type { DemoConfig } from './config';
import type { Logger } from './logger';
import type { AppDependencies } from './types';

/** The SDK and OpenSearch clients the demo talks through. */
export interface DemoClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** The failure archive's S3 (the local S3 server in the demo). */
  readonly s3: S3Client;
  readonly openSearch: Client;
}

/**
 * Clients for the configured endpoints, with short timeouts and few retries: a demo should answer
 * "backend down" within seconds, not hang.
 *
 * @example
 * const clients = createClients(loadConfig());
 */
export function createClients(config: DemoConfig): DemoClients {
  const { credentials } = config;
  const aws = {
    region: config.region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: Math.min(2_000, config.backendTimeoutMs), requestTimeout: config.backendTimeoutMs },
    ...(credentials && { credentials }),
  };
  return {
    dynamodb: new DynamoDBClient({ ...aws, endpoint: config.dynamodbEndpoint }),
    sqs: new SQSClient({ ...aws, endpoint: config.sqsEndpoint }),
    s3: new S3Client({ ...aws, endpoint: config.archive.s3Endpoint, forcePathStyle: true }),
    openSearch: createOpenSearchClient(
      { node: config.openSearch.node, auth: config.openSearch.auth, requestTimeoutMs: config.backendTimeoutMs },
      credentials ? { credentials: async () => credentials } : {},
    ),
  };
}

/** Releases the clients' sockets. */
export async function closeClients(clients: DemoClients): Promise<void> {
  clients.dynamodb.destroy();
  clients.sqs.destroy();
  clients.s3.destroy();
  await clients.openSearch.close();
}

/**
 * Everything `createApp` needs, over real backends.
 *
 * @example
 * const app = createApp(createDependencies(config, createClients(config), { logger, runner, workspaceRoot: workspaceRoot() }));
 */
export function createDependencies(
  config: DemoConfig,
  clients: DemoClients,
  extras: { readonly logger: Logger; readonly runner?: RunnerStatusSource; readonly page?: string; readonly workspaceRoot: string },
): AppDependencies {
  const { products, reviews } = config.indexes;
  const queues = Object.fromEntries(
    Object.entries({ deadLetter: config.dlqUrl, onFailure: config.onFailureQueueUrl }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return {
    items: new DynamoItemStore({ client: clients.dynamodb, tableName: config.tableName }),
    search: new OpenSearchSearch({
      client: clients.openSearch,
      aliases: { products: readAlias(products), reviews: readAlias(reviews) },
      exactMatchFields: productExactMatchFields(demoRoutingOf(config.sync).shapes.mappingsOf(products)),
    }),
    syncStatus: new BackendSyncStatus({
      openSearch: clients.openSearch,
      indexes: {
        readAliases: { [products]: readAlias(products), [reviews]: readAlias(reviews) },
        writeAliases: { [products]: writeAlias(products), [reviews]: writeAlias(reviews) },
      },
      sqs: clients.sqs,
      queues,
      ...(extras.runner && { runner: extras.runner }),
    }),
    failures: {
      archive: new ArchiveFailures({
        store: new S3ArchiveStore(clients.s3, config.archive.bucket),
        prefix: config.archive.prefix,
        tableName: config.tableName,
      }),
      replay: new ReplayCli({ config, workspaceRoot: extras.workspaceRoot, logger: extras.logger }),
    },
    logger: extras.logger,
    ...(extras.page !== undefined && { page: extras.page }),
  };
}
