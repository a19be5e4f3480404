import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import type { StaticAwsCredentials } from '@ddb-os/sync-config';
import { indexSchemas } from '@ddb-os/schemas';
import type { ArchiveConfig, ReplayConfig } from './config';
import type { ReplayDependencies } from './replay-object';

/**
 * The archive store of a configuration (path-style addressing when an endpoint is given: local S3 servers).
 *
 * @example
 * const store = archiveStore(loadArchiveConfig());
 */
export function archiveStore(config: ArchiveConfig, credentials?: StaticAwsCredentials): S3ArchiveStore {
  const s3 = new S3Client({
    region: config.region,
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3Endpoint !== undefined,
    ...(credentials && { credentials }),
  });
  return new S3ArchiveStore(s3, config.bucket);
}

/**
 * Everything `replay run` talks to, built from its configuration.
 *
 * @example
 * const deps = replayServices(loadReplayConfig());
 */
export function replayServices(config: ReplayConfig): ReplayDependencies {
  // The configured credentials (from the config's environment) when it names some, else the SDK's default chain.
  const { credentials } = config;
  return {
    config,
    store: archiveStore(config.archive, credentials),
    dynamo: new DynamoDBClient({ region: config.archive.region, endpoint: config.dynamoDbEndpoint, ...(credentials && { credentials }) }),
    openSearch: createOpenSearchClient(
      { node: config.openSearch.node, auth: config.openSearch.auth, requestTimeoutMs: config.openSearch.requestTimeoutMs },
      credentials ? { credentials: async () => credentials } : {},
    ),
    schemas: indexSchemas,
    clock: () => Date.now(),
  };
}
