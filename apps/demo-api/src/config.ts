import { DEFAULT_ARCHIVE_PREFIX } from '@ddb-os/failure-archive';
import { envHttpUrl, envOpenSearchService, staticCredentialsFrom, type StaticAwsCredentials } from '@ddb-os/sync-config';
import { SYNC_ENV } from '@ddb-os/sync-contracts';
import type { ResolvedSync, Syncs } from '@ddb-os/sync-definition';
import { z } from 'zod';
import { demoSyncsOf } from './demo-sync';
import { InvalidDemoConfigError } from './errors';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const indexBaseName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,100}$/, 'must be a lowercase OpenSearch index name (letters, digits, "-", "_")');

const environmentSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a TCP port (0-65535)' })
    .int('must be a TCP port (0-65535)')
    .min(0, 'must be a TCP port (0-65535)')
    .max(65535, 'must be a TCP port (0-65535)')
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DEMO_TABLE: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of letters, digits, "_", "-", ".")')
    .default('demo-items'),
  DEMO_PRODUCTS_INDEX: indexBaseName.default('products'),
  DEMO_REVIEWS_INDEX: indexBaseName.default('reviews'),
  DYNAMODB_ENDPOINT: envHttpUrl('the DynamoDB endpoint', 'http://127.0.0.1:8000').default('http://127.0.0.1:8000'),
  OPENSEARCH_NODE: envHttpUrl('the OpenSearch endpoint', 'http://127.0.0.1:9200').default('http://127.0.0.1:9200'),
  OPENSEARCH_AUTH: z.enum(['none', 'basic', 'sigv4']).default('none'),
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  OPENSEARCH_SERVICE: envOpenSearchService,
  SQS_ENDPOINT: envHttpUrl('the SQS endpoint', 'http://127.0.0.1:9324').default('http://127.0.0.1:9324'),
  S3_ENDPOINT: envHttpUrl('the S3 endpoint of the failure archive', 'http://127.0.0.1:9000').default('http://127.0.0.1:9000'),
  ARCHIVE_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of lowercase letters, digits, "-", ".")')
    .default('demo-failures'),
  ARCHIVE_PREFIX: z.string().default(DEFAULT_ARCHIVE_PREFIX),
  DLQ_URL: envHttpUrl('the dead-letter queue of the indexer', 'http://127.0.0.1:9324/000000000000/demo-items-dlq').optional(),
  ON_FAILURE_QUEUE_URL: envHttpUrl(
    'the on-failure queue of the stream',
    'http://127.0.0.1:9324/000000000000/demo-items-on-failure',
  ).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  BACKEND_TIMEOUT_MS: z.coerce
    .number({ error: 'must be milliseconds (100-60000)' })
    .int('must be whole milliseconds')
    .min(100, 'must be at least 100 ms')
    .max(60_000, 'must be at most 60000 ms')
    .default(5_000),
  DEMO_SEED: z.coerce
    .number({ error: 'must be a count of products to generate (0-1000)' })
    .int('must be a whole number')
    .min(0, 'must be a count of products to generate (0-1000)')
    .max(1000, 'must be at most 1000')
    .default(0),
});

export interface DemoConfig {
  readonly port: number;
  readonly host: string;
  readonly tableName: string;
  readonly indexes: { readonly products: string; readonly reviews: string };
  /** The workspace definition's demo sync on {@link indexes}, validated: what the in-process handlers take. */
  readonly syncs: Syncs;
  /** The one sync of {@link syncs}: routes, keys, document shapes and mappings. */
  readonly sync: ResolvedSync;
  readonly region: string;
  /** Explicit credentials; `undefined` lets the AWS SDK use its default provider chain. */
  readonly credentials: StaticAwsCredentials | undefined;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  /** The failure archive: where the failure handler writes failed records and replay reads them. */
  readonly archive: { readonly s3Endpoint: string; readonly bucket: string; readonly prefix: string };
  readonly openSearch: {
    readonly node: string;
    readonly auth:
      | { readonly kind: 'none' }
      | { readonly kind: 'basic'; readonly username: string; readonly password: string }
      | { readonly kind: 'sigv4'; readonly region: string; readonly service: 'es' };
  };
  readonly dlqUrl: string | undefined;
  readonly onFailureQueueUrl: string | undefined;
  readonly backendTimeoutMs: number;
  readonly seedCount: number;
}

/**
 * Reads the demo API's configuration from environment variables (defaults: the local stack on loopback).
 * Throws {@link InvalidDemoConfigError} naming every bad variable.
 *
 * @example
 * const config = loadConfig({ PORT: '0', DEMO_TABLE: 'demo-items' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const parsed = environmentSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    throw new InvalidDemoConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems = authProblems(e);
  if (problems.length > 0) throw new InvalidDemoConfigError(problems);
  const indexes = { products: e.DEMO_PRODUCTS_INDEX, reviews: e.DEMO_REVIEWS_INDEX };
  return {
    port: e.PORT,
    host: e.HOST,
    tableName: e.DEMO_TABLE,
    indexes,
    ...demoSyncsOf(indexes),
    region: e.AWS_REGION,
    credentials: credentialsOf(e),
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    sqsEndpoint: e.SQS_ENDPOINT,
    archive: { s3Endpoint: e.S3_ENDPOINT, bucket: e.ARCHIVE_BUCKET, prefix: e.ARCHIVE_PREFIX },
    openSearch: { node: e.OPENSEARCH_NODE, auth: openSearchAuthOf(e) },
    dlqUrl: e.DLQ_URL,
    onFailureQueueUrl: e.ON_FAILURE_QUEUE_URL,
    backendTimeoutMs: e.BACKEND_TIMEOUT_MS,
    seedCount: e.DEMO_SEED,
  };
}

type Environment = z.infer<typeof environmentSchema>;

/** `FOO=` in a shell means "not set", not "set to the empty string". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function authProblems(e: Environment): string[] {
  const problems: string[] = [];
  if (e.OPENSEARCH_AUTH === 'basic' && (!e.OPENSEARCH_USERNAME || !e.OPENSEARCH_PASSWORD)) {
    problems.push('OPENSEARCH_USERNAME: OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD');
  }
  if ((e.AWS_ACCESS_KEY_ID === undefined) !== (e.AWS_SECRET_ACCESS_KEY === undefined)) {
    problems.push('AWS_SECRET_ACCESS_KEY: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither');
  }
  return problems;
}

/** The local stack accepts any credentials; elsewhere the SDK's provider chain decides. */
function credentialsOf(e: Environment): DemoConfig['credentials'] {
  const named = staticCredentialsFrom(e);
  if (named) return named;
  const awsEndpoints = [e.DYNAMODB_ENDPOINT, e.SQS_ENDPOINT, e.S3_ENDPOINT];
  return awsEndpoints.every(isLoopback) ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
}

function isLoopback(url: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(url).hostname);
}

function openSearchAuthOf(e: Environment): DemoConfig['openSearch']['auth'] {
  if (e.OPENSEARCH_AUTH === 'basic') return { kind: 'basic', username: e.OPENSEARCH_USERNAME ?? '', password: e.OPENSEARCH_PASSWORD ?? '' };
  if (e.OPENSEARCH_AUTH === 'sigv4') return { kind: 'sigv4', region: e.AWS_REGION, service: e.OPENSEARCH_SERVICE };
  return { kind: 'none' };
}

/**
 * The sync target of the demo (the sync's name, OpenSearch, region, credentials) as the environment variables every
 * writer reads: the indexer and replay get the same one. Routes, keys and mappings are not variables: they come
 * from the sync definition ({@link DemoConfig.sync}).
 *
 * @example
 * loadReplayConfig({ ...syncTargetEnvironmentOf(config), ARCHIVE_BUCKET: config.archive.bucket });
 */
export function syncTargetEnvironmentOf(config: DemoConfig): Record<string, string> {
  const { auth } = config.openSearch;
  return {
    OPENSEARCH_NODE: config.openSearch.node,
    OPENSEARCH_AUTH: auth.kind,
    ...(auth.kind === 'basic' && { OPENSEARCH_USERNAME: auth.username, OPENSEARCH_PASSWORD: auth.password }),
    ...(auth.kind === 'sigv4' && { OPENSEARCH_SERVICE: auth.service }),
    [SYNC_ENV.syncName]: config.sync.name,
    ...componentAwsEnvironment(config),
  };
}

/**
 * The region and credentials of the demo as the environment variables of the components it runs with their own
 * configuration (indexer, failure handler, replay): they must not depend on what the process environment holds.
 *
 * @example
 * const failureHandlerEnv = { ...componentAwsEnvironment(config), ARCHIVE_BUCKET: config.archive.bucket };
 */
export function componentAwsEnvironment(config: DemoConfig): Record<string, string> {
  return {
    AWS_REGION: config.region,
    // An empty AWS_SESSION_TOKEN counts as unset: a token of the process must not join other keys.
    ...(config.credentials && {
      AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: config.credentials.sessionToken ?? '',
    }),
  };
}
