import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { keyAttributesOf, openSearchClientOf } from '@ddb-os/indexing-core';
import { staticCredentialsFrom, type StaticAwsCredentials } from '@ddb-os/sync-config';
import type { ResolvedSync } from '@ddb-os/sync-definition';
import { loadArchiveConfig, loadReplayConfig, type ArchiveConfig, type ReplayConfig } from './config';
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
 * const deps = replayServices(await replayConfigOf(syncs.named('demo'), process.env));
 */
export function replayServices(config: ReplayConfig): ReplayDependencies {
  // The configured credentials (from the config's environment) when it names some, else the SDK's default chain.
  const { credentials } = config;
  return {
    config,
    store: archiveStore(config.archive, credentials),
    dynamo: new DynamoDBClient({ region: config.archive.region, endpoint: config.dynamoDbEndpoint, ...(credentials && { credentials }) }),
    openSearch: openSearchClientOf(config),
    clock: () => Date.now(),
  };
}

/**
 * What `replay run` needs for a sync: its routing for the table's key attributes (declared by the definition, or
 * read with DescribeTable of `TABLE_NAME`, else of `syncTable`, the table the definition names) and the environment.
 *
 * @example
 * const config = await replayConfigOf(syncs.named('demo'), process.env);
 */
export async function replayConfigOf(sync: ResolvedSync, env: NodeJS.ProcessEnv, syncTable?: string): Promise<ReplayConfig> {
  const keyAttributes = await keyAttributesOf(sync, {
    tableName: env['TABLE_NAME'] || syncTable,
    dynamo: () => {
      const credentials = staticCredentialsFrom(env);
      const endpoint = env['DYNAMODB_ENDPOINT'] || undefined;
      return new DynamoDBClient({ region: loadArchiveConfig(env).region, endpoint, ...(credentials && { credentials }) });
    },
  });
  return loadReplayConfig(sync.routingFor(keyAttributes), env);
}
