import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { readAlias, writeAlias } from '@ddb-os/opensearch-mapping';
import type { Client } from '@opensearch-project/opensearch';
import { DynamoItemStore } from './backends/dynamodb-item-store';
import { OpenSearchSearch } from './backends/opensearch-search';
import { BackendSyncStatus, type RunnerStatusSource } from './backends/sync-status';
import type { DemoConfig } from './config';
import type { Logger } from './logger';
import type { AppDependencies } from './types';

/** The SDK and OpenSearch clients the demo talks through. */
export interface DemoClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
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
  const aws = {
    region: config.region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: Math.min(2_000, config.backendTimeoutMs), requestTimeout: config.backendTimeoutMs },
    ...(config.credentials && { credentials: config.credentials }),
  };
  return {
    dynamodb: new DynamoDBClient({ ...aws, endpoint: config.dynamodbEndpoint }),
    sqs: new SQSClient({ ...aws, endpoint: config.sqsEndpoint }),
    openSearch: createOpenSearchClient({ node: config.openSearch.node, auth: config.openSearch.auth, requestTimeoutMs: config.backendTimeoutMs }),
  };
}

/** Releases the clients' sockets. */
export async function closeClients(clients: DemoClients): Promise<void> {
  clients.dynamodb.destroy();
  clients.sqs.destroy();
  await clients.openSearch.close();
}

/**
 * Everything `createApp` needs, over real backends.
 *
 * @example
 * const app = createApp(createDependencies(config, createClients(config), { logger, runner }));
 */
export function createDependencies(
  config: DemoConfig,
  clients: DemoClients,
  extras: { readonly logger: Logger; readonly runner?: RunnerStatusSource; readonly page?: string },
): AppDependencies {
  const { products, reviews } = config.indexes;
  const queues = Object.fromEntries(
    Object.entries({ deadLetter: config.dlqUrl, onFailure: config.onFailureQueueUrl }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    items: new DynamoItemStore({ client: clients.dynamodb, tableName: config.tableName }),
    search: new OpenSearchSearch({ client: clients.openSearch, aliases: { products: readAlias(products), reviews: readAlias(reviews) } }),
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
    logger: extras.logger,
    ...(extras.page !== undefined && { page: extras.page }),
  };
}
