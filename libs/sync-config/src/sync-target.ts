import { DEFAULT_SNAPSHOT_SAFETY_SECONDS, type DocumentShapes, type IndexRoute } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import {
  envFlag,
  envHttpUrl,
  envNonNegativeInt,
  envOpenSearchService,
  envPositiveInt,
  envRegion,
  parseEnvironment,
  whenParsed,
} from './env-fields';
import { InvalidSyncConfigError } from './errors';
import { SYNC_ENV } from '@ddb-os/sync-contracts';

/** The longest a Lambda function runs (15 min): no timeout or delay of a writer can usefully exceed it. */
const MAX_LAMBDA_TIMEOUT_MS = 900_000;
/** OpenSearch's default `http.max_content_length` (100 MB): a larger bulk body is always refused. */
const MAX_BULK_BYTES = 100 * 1024 * 1024;
/**
 * The environment every writer of the index reads (indexer, replay, backfill, verify/repair): where OpenSearch is
 * and how to authenticate, and how writes are batched and retried. Which items go to which index, how documents are
 * shaped, identified and ordered come from the sync definition ({@link SyncRouting}), never from the environment.
 */
export const syncTargetEnvironment = z
  .object({
    [SYNC_ENV.openSearchNode]: envHttpUrl(
      'the OpenSearch endpoint',
      'https://search-x.eu-west-1.es.amazonaws.com or http://127.0.0.1:9200',
    ),
    [SYNC_ENV.openSearchAuth]: z.enum(['none', 'basic', 'sigv4'], { message: 'must be none, basic or sigv4' }).default('none'),
    OPENSEARCH_USERNAME: z.string().optional(),
    OPENSEARCH_PASSWORD: z.string().optional(),
    OPENSEARCH_SERVICE: envOpenSearchService,
    OPENSEARCH_REQUEST_TIMEOUT_MS: envPositiveInt(10_000, MAX_LAMBDA_TIMEOUT_MS),
    AWS_REGION: envRegion,
    // Empty values count as unset (see staticCredentialsFrom).
    AWS_ACCESS_KEY_ID: z.string().optional(),
    AWS_SECRET_ACCESS_KEY: z.string().optional(),
    AWS_SESSION_TOKEN: z.string().optional(),
    SNAPSHOT_SAFETY_SECONDS: envNonNegativeInt(DEFAULT_SNAPSHOT_SAFETY_SECONDS, 3_600),
    BULK_MAX_BYTES: envPositiveInt(5 * 1024 * 1024, MAX_BULK_BYTES),
    RETRY_MAX_ATTEMPTS: envPositiveInt(6, 100),
    RETRY_BASE_DELAY_MS: envPositiveInt(100, MAX_LAMBDA_TIMEOUT_MS),
    RETRY_MAX_DELAY_MS: envPositiveInt(5_000, MAX_LAMBDA_TIMEOUT_MS),
    AUTO_CREATE_INDEXES: envFlag(true),
  })
  .refine((env) => env.OPENSEARCH_AUTH !== 'basic' || Boolean(env.OPENSEARCH_USERNAME && env.OPENSEARCH_PASSWORD), {
    path: ['OPENSEARCH_USERNAME'],
    message: 'OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD',
    when: whenParsed('OPENSEARCH_AUTH', 'OPENSEARCH_USERNAME', 'OPENSEARCH_PASSWORD'),
  })
  .refine((env) => env.RETRY_BASE_DELAY_MS <= env.RETRY_MAX_DELAY_MS, {
    path: ['RETRY_BASE_DELAY_MS'],
    message: 'must be ≤ RETRY_MAX_DELAY_MS (the first retry waits up to the base delay, later ones up to the max delay)',
    when: whenParsed('RETRY_BASE_DELAY_MS', 'RETRY_MAX_DELAY_MS'),
  })
  .refine((env) => !env.AWS_ACCESS_KEY_ID === !env.AWS_SECRET_ACCESS_KEY, {
    path: ['AWS_SECRET_ACCESS_KEY'],
    message: 'set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither',
    when: whenParsed('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'),
  });

export type OpenSearchAuthConfig =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'sigv4'; readonly region: string; readonly service: 'es' };

/** Static AWS credentials named by the configuration's own environment. */
export interface StaticAwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * What a sync's definition decides for every writer: routes, document shapes, key and version attributes
 * (`ResolvedSync.routingFor(keyAttributes)` of `@ddb-os/sync-definition` builds it).
 */
export interface SyncRouting {
  readonly syncName: string;
  readonly routes: readonly IndexRoute[];
  /** Partition key, then sort key: declared for a created table, read from an existing one (DescribeTable). */
  readonly keyAttributes: readonly string[];
  readonly versionAttribute: string | undefined;
  readonly mappingDynamic: 'strict' | 'false';
  /** Numbers a double cannot hold: exact decimal strings, or the item refused (the sync's `numbers`). */
  readonly numberPolicy: 'string' | 'reject';
  /** An item TTL deletes: document deleted, or kept marked expired (the sync's `ttlDeletes`). */
  readonly ttlDeletePolicy: 'delete' | 'mark-expired';
  /** A change no route matches: skipped, or dead-lettered (the sync's `unrouted`). */
  readonly unroutedPolicy: 'skip' | 'dead-letter';
  /** How items become documents (schema + transform) and the mappings of each index. */
  readonly shapes: DocumentShapes;
}

/** Where and how every writer writes: the sync's routing plus {@link syncTargetEnvironment}'s variables. */
export interface SyncTargetConfig extends SyncRouting {
  readonly openSearch: { readonly node: string; readonly auth: OpenSearchAuthConfig; readonly requestTimeoutMs: number };
  readonly region: string;
  /**
   * Credentials for every AWS client the writer builds (SQS, DynamoDB, S3, SigV4), read from the config's own
   * environment, which is not always the process environment (the local demo configures the indexer in-process).
   * `undefined`: the SDK's default provider chain.
   */
  readonly credentials: StaticAwsCredentials | undefined;
  readonly snapshotSafetySeconds: number;
  readonly maxBulkBytes: number;
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly autoCreateIndexes: boolean;
}

/** Builds the typed config from a sync's routing and variables already validated by {@link syncTargetEnvironment}. */
export function syncTargetFrom(routing: SyncRouting, e: z.output<typeof syncTargetEnvironment>): SyncTargetConfig {
  return {
    ...routing,
    openSearch: { node: e.OPENSEARCH_NODE, auth: authOf(e), requestTimeoutMs: e.OPENSEARCH_REQUEST_TIMEOUT_MS },
    region: e.AWS_REGION,
    credentials: staticCredentialsFrom(e),
    snapshotSafetySeconds: e.SNAPSHOT_SAFETY_SECONDS,
    maxBulkBytes: e.BULK_MAX_BYTES,
    retry: { maxAttempts: e.RETRY_MAX_ATTEMPTS, baseDelayMs: e.RETRY_BASE_DELAY_MS, maxDelayMs: e.RETRY_MAX_DELAY_MS },
    autoCreateIndexes: e.AUTO_CREATE_INDEXES,
  };
}

/**
 * The sync target of a sync's routing, with the endpoint and write settings read from environment variables;
 * throws {@link InvalidSyncConfigError} naming every bad variable.
 *
 * @example
 * const target = loadSyncTargetConfig(syncs.named('demo').routingFor(['pk', 'sk']), { OPENSEARCH_NODE: 'http://127.0.0.1:9200' });
 */
export function loadSyncTargetConfig(routing: SyncRouting, env: NodeJS.ProcessEnv = process.env, component = 'sync'): SyncTargetConfig {
  return syncTargetFrom(
    routing,
    parseEnvironment(syncTargetEnvironment, env, component, (name, issues) => new InvalidSyncConfigError(name, issues)),
  );
}

/**
 * The static credentials an environment names (`AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY`, optional
 * `AWS_SESSION_TOKEN`; empty values count as unset), or `undefined` to leave the SDK's default chain in charge.
 *
 * @example
 * new SQSClient({ region, ...(staticCredentialsFrom(env) && { credentials: staticCredentialsFrom(env) }) });
 */
export function staticCredentialsFrom(env: {
  readonly AWS_ACCESS_KEY_ID?: string | undefined;
  readonly AWS_SECRET_ACCESS_KEY?: string | undefined;
  readonly AWS_SESSION_TOKEN?: string | undefined;
}): StaticAwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
  const sessionToken = env.AWS_SESSION_TOKEN || undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) };
}

function authOf(e: z.output<typeof syncTargetEnvironment>): OpenSearchAuthConfig {
  if (e.OPENSEARCH_AUTH === 'basic') return { kind: 'basic', username: e.OPENSEARCH_USERNAME ?? '', password: e.OPENSEARCH_PASSWORD ?? '' };
  if (e.OPENSEARCH_AUTH === 'sigv4') return { kind: 'sigv4', region: e.AWS_REGION, service: e.OPENSEARCH_SERVICE };
  return { kind: 'none' };
}
