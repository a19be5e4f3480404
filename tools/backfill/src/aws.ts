import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { staticCredentialsFrom, type StaticAwsCredentials } from '@ddb-os/sync-config';
import { DEFAULTS } from './constants';

/** Endpoint value meaning "the real AWS endpoint of the region" (credentials from the default chain). */
export const REAL_AWS = 'aws';

const LOCAL_CREDENTIALS: StaticAwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

interface ClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: StaticAwsCredentials;
}

/**
 * SDK settings for an endpoint variable (`DYNAMODB_ENDPOINT`, `S3_ENDPOINT`; `ddb-os` fills them with the local
 * stack's unless told otherwise): that endpoint, or the region's real endpoint when unset or `aws`. Credentials: the
 * static ones `env` names (it is not always the process environment, which the SDK's default chain would read),
 * else `local`/`local` on loopback, else the default chain.
 *
 * @example
 * clientConfig(process.env['DYNAMODB_ENDPOINT']);
 */
export function clientConfig(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const chosen = endpoint?.trim();
  const real = !chosen || chosen === REAL_AWS;
  const credentials = staticCredentialsFrom(env) ?? (!real && LOOPBACK.test(chosen) ? LOCAL_CREDENTIALS : undefined);
  return { region, ...(!real && { endpoint: chosen }), ...(credentials && { credentials }) };
}

/** The DynamoDB client of the environment (`DYNAMODB_ENDPOINT`), retrying throttled requests. */
export function dynamoFromEnvironment(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  return new DynamoDBClient({
    ...clientConfig(env['DYNAMODB_ENDPOINT'], env),
    maxAttempts: DEFAULTS.dynamoMaxAttempts,
  });
}

/** The S3 client of the environment (`S3_ENDPOINT`; path-style addressing for a custom endpoint). */
export function s3FromEnvironment(env: NodeJS.ProcessEnv = process.env): S3Client {
  const config = clientConfig(env['S3_ENDPOINT'], env);
  return new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
}
