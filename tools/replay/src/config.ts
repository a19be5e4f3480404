import { DEFAULT_ARCHIVE_PREFIX, DEFAULT_REPLAYED_PREFIX } from '@ddb-os/failure-archive';
import {
  envHttpUrl,
  envRegion,
  parseEnvironment,
  syncTargetEnvironment,
  syncTargetFrom,
  type SyncRouting,
  type SyncTargetConfig,
} from '@ddb-os/sync-config';
import { z } from 'zod';
import { InvalidReplayConfigError } from './errors';

const archiveEnvironment = z.object({
  ARCHIVE_BUCKET: z.string({ message: 'is required: the S3 bucket of the failure archive' }).min(3, 'must be an S3 bucket name'),
  ARCHIVE_PREFIX: z.string().default(DEFAULT_ARCHIVE_PREFIX),
  REPLAYED_PREFIX: z.string().default(DEFAULT_REPLAYED_PREFIX),
  S3_ENDPOINT: envHttpUrl('the S3 endpoint', 'http://127.0.0.1:9000').optional(),
  AWS_REGION: envRegion,
});

/** The indexer's sync target (shared with every writer through `@ddb-os/sync-config`), the archive, and the table. */
const replayEnvironment = syncTargetEnvironment.and(
  archiveEnvironment.extend({
    DYNAMODB_ENDPOINT: envHttpUrl('the DynamoDB endpoint', 'http://127.0.0.1:8000').optional(),
    TABLE_NAME: z.string().min(3, 'must be a DynamoDB table name').optional(),
  }),
);

/** Where the archive is (all commands need it). */
export interface ArchiveConfig {
  readonly bucket: string;
  readonly prefix: string;
  readonly replayedPrefix: string;
  readonly s3Endpoint: string | undefined;
  readonly region: string;
}

/** Everything `replay run` needs: the indexer's sync target (routes, keys, ordering, OpenSearch), the archive and the table. */
export interface ReplayConfig extends SyncTargetConfig {
  readonly archive: ArchiveConfig;
  readonly dynamoDbEndpoint: string | undefined;
  /** Overrides the table named in each archive header. */
  readonly tableName: string | undefined;
}

/**
 * Reads what `list` and `inspect` need (the archive only).
 *
 * @example
 * const archive = loadArchiveConfig({ ARCHIVE_BUCKET: 'sync-failures' });
 */
export function loadArchiveConfig(env: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  return archiveFrom(parseEnvironment(archiveEnvironment, env, 'replay', toError));
}

/**
 * Reads what `run` needs: the sync's routing (routes, document shapes, keys, ordering: as the indexer has them), the
 * same OpenSearch variables as the indexer (parsed by the shared `@ddb-os/sync-config`), plus the archive. Throws
 * {@link InvalidReplayConfigError} naming every bad variable.
 *
 * @example
 * const config = loadReplayConfig(syncs.named('demo').routingFor(['pk', 'sk']), { ARCHIVE_BUCKET: 'b', OPENSEARCH_NODE: 'http://127.0.0.1:9200' });
 */
export function loadReplayConfig(routing: SyncRouting, env: NodeJS.ProcessEnv = process.env): ReplayConfig {
  const e = parseEnvironment(replayEnvironment, env, 'replay', toError);
  return {
    ...syncTargetFrom(routing, e),
    archive: archiveFrom(e),
    dynamoDbEndpoint: e.DYNAMODB_ENDPOINT,
    tableName: e.TABLE_NAME,
  };
}

function archiveFrom(e: z.output<typeof archiveEnvironment>): ArchiveConfig {
  return {
    bucket: e.ARCHIVE_BUCKET,
    prefix: e.ARCHIVE_PREFIX,
    replayedPrefix: e.REPLAYED_PREFIX,
    s3Endpoint: e.S3_ENDPOINT,
    region: e.AWS_REGION,
  };
}

function toError(_component: string, issues: string[]): InvalidReplayConfigError {
  return new InvalidReplayConfigError(issues);
}
