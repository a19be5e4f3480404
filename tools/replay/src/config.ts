import { DEFAULT_ARCHIVE_PREFIX, DEFAULT_REPLAYED_PREFIX } from '@ddb-os/failure-archive';
import { DEFAULT_SNAPSHOT_SAFETY_SECONDS, indexRoutesSchema, type IndexRoute } from '@ddb-os/opensearch-mapping';
import { z } from 'zod';
import { InvalidReplayConfigError } from './errors';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
    return z.NEVER;
  }
});

/** `pk,sk` (the indexer's form) or `["pk","sk"]` (the CDK construct's). */
const keyAttributes = z
  .string()
  .transform((text, ctx) => {
    if (!text.trim().startsWith('[')) return text.split(',').map((name) => name.trim()).filter(Boolean);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `looks like a JSON array but is not valid JSON (${(error as Error).message})` });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(z.string().min(1))
      .min(1, 'must name the partition key (and the sort key), e.g. "pk,sk"')
      .max(2, 'takes at most two attributes: partition key and sort key'),
  );

const archiveSchema = z.object({
  ARCHIVE_BUCKET: z.string({ message: 'is required: the S3 bucket of the failure archive' }).min(3, 'must be an S3 bucket name'),
  ARCHIVE_PREFIX: z.string().default(DEFAULT_ARCHIVE_PREFIX),
  REPLAYED_PREFIX: z.string().default(DEFAULT_REPLAYED_PREFIX),
  S3_ENDPOINT: z.url({ message: 'must be a URL, e.g. http://127.0.0.1:9000' }).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
});

const environmentSchema = archiveSchema
  .extend({
    DYNAMODB_ENDPOINT: z.url({ message: 'must be a URL, e.g. http://127.0.0.1:8000' }).optional(),
    TABLE_NAME: z.string().min(3).optional(),
    OPENSEARCH_NODE: z.url({ message: 'is required: the URL of the OpenSearch endpoint' }),
    OPENSEARCH_AUTH: z.enum(['none', 'basic', 'sigv4']).default('none'),
    OPENSEARCH_USERNAME: z.string().optional(),
    OPENSEARCH_PASSWORD: z.string().optional(),
    OPENSEARCH_SERVICE: z.enum(['es', 'aoss']).default('es'),
    OPENSEARCH_REQUEST_TIMEOUT_MS: positiveInt(30_000),
    INDEX_ROUTES: jsonText.pipe(indexRoutesSchema),
    KEY_ATTRIBUTES: keyAttributes,
    VERSION_ATTRIBUTE: z.string().min(1).optional(),
    SNAPSHOT_SAFETY_SECONDS: z.coerce.number().int().nonnegative().default(DEFAULT_SNAPSHOT_SAFETY_SECONDS),
    NUMBER_POLICY: z.enum(['string', 'reject']).default('string'),
    RETRY_MAX_ATTEMPTS: positiveInt(6),
    RETRY_BASE_DELAY_MS: positiveInt(100),
    RETRY_MAX_DELAY_MS: positiveInt(5_000),
    BULK_MAX_BYTES: positiveInt(5 * 1024 * 1024),
  })
  .superRefine((env, ctx) => {
    if (env.OPENSEARCH_AUTH === 'basic' && (!env.OPENSEARCH_USERNAME || !env.OPENSEARCH_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['OPENSEARCH_USERNAME'], message: 'OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD' });
    }
  });

/** Where the archive is (all commands need it). */
export interface ArchiveConfig {
  readonly bucket: string;
  readonly prefix: string;
  readonly replayedPrefix: string;
  readonly s3Endpoint: string | undefined;
  readonly region: string;
}

/** Everything `replay run` needs: the archive, the table, and the indexer's routing and OpenSearch settings. */
export interface ReplayConfig {
  readonly archive: ArchiveConfig;
  readonly dynamoDbEndpoint: string | undefined;
  /** Overrides the table named in each archive header. */
  readonly tableName: string | undefined;
  readonly openSearch: {
    readonly node: string;
    readonly auth:
      | { readonly kind: 'none' }
      | { readonly kind: 'basic'; readonly username: string; readonly password: string }
      | { readonly kind: 'sigv4'; readonly region: string; readonly service: 'es' | 'aoss' };
    readonly requestTimeoutMs: number;
  };
  readonly routes: readonly IndexRoute[];
  readonly keyAttributes: readonly string[];
  readonly versionAttribute: string | undefined;
  readonly safetySeconds: number;
  readonly numberPolicy: 'string' | 'reject';
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly maxBulkBytes: number;
}

/**
 * Reads what `list` and `inspect` need (the archive only).
 *
 * @example
 * const archive = loadArchiveConfig({ ARCHIVE_BUCKET: 'sync-failures' });
 */
export function loadArchiveConfig(env: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  const e = parseOrExplain(archiveSchema, env);
  return { bucket: e.ARCHIVE_BUCKET, prefix: e.ARCHIVE_PREFIX, replayedPrefix: e.REPLAYED_PREFIX, s3Endpoint: e.S3_ENDPOINT, region: e.AWS_REGION };
}

/**
 * Reads what `run` needs: the same routing, key and OpenSearch variables as the indexer, plus the archive.
 * Throws {@link InvalidReplayConfigError} naming every bad variable.
 *
 * @example
 * const config = loadReplayConfig({ ARCHIVE_BUCKET: 'b', OPENSEARCH_NODE: 'http://127.0.0.1:9200', INDEX_ROUTES: '[{"index":"items","match":{"always":true}}]', KEY_ATTRIBUTES: 'pk,sk' });
 */
export function loadReplayConfig(env: NodeJS.ProcessEnv = process.env): ReplayConfig {
  const e = parseOrExplain(environmentSchema, env);
  return {
    archive: { bucket: e.ARCHIVE_BUCKET, prefix: e.ARCHIVE_PREFIX, replayedPrefix: e.REPLAYED_PREFIX, s3Endpoint: e.S3_ENDPOINT, region: e.AWS_REGION },
    dynamoDbEndpoint: e.DYNAMODB_ENDPOINT,
    tableName: e.TABLE_NAME,
    openSearch: { node: e.OPENSEARCH_NODE, auth: authOf(e), requestTimeoutMs: e.OPENSEARCH_REQUEST_TIMEOUT_MS },
    routes: e.INDEX_ROUTES,
    keyAttributes: e.KEY_ATTRIBUTES,
    versionAttribute: e.VERSION_ATTRIBUTE,
    safetySeconds: e.SNAPSHOT_SAFETY_SECONDS,
    numberPolicy: e.NUMBER_POLICY,
    retry: { maxAttempts: e.RETRY_MAX_ATTEMPTS, baseDelayMs: e.RETRY_BASE_DELAY_MS, maxDelayMs: e.RETRY_MAX_DELAY_MS },
    maxBulkBytes: e.BULK_MAX_BYTES,
  };
}

function parseOrExplain<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new InvalidReplayConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`));
}

function authOf(e: z.infer<typeof environmentSchema>): ReplayConfig['openSearch']['auth'] {
  if (e.OPENSEARCH_AUTH === 'basic') return { kind: 'basic', username: e.OPENSEARCH_USERNAME ?? '', password: e.OPENSEARCH_PASSWORD ?? '' };
  if (e.OPENSEARCH_AUTH === 'sigv4') return { kind: 'sigv4', region: e.AWS_REGION, service: e.OPENSEARCH_SERVICE };
  return { kind: 'none' };
}
