import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULTS } from './constants';

/** Endpoint value meaning "the real AWS endpoint of the region" (credentials from the default chain). */
export const REAL_AWS = 'aws';

const LOCAL_ENDPOINTS = { dynamodb: 'http://127.0.0.1:8000', s3: 'http://127.0.0.1:9000' } as const;
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

interface ClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * SDK settings for an endpoint variable (`DYNAMODB_ENDPOINT`, `S3_ENDPOINT`): the local stack by default
 * (credentials `local`/`local` on loopback unless AWS_ACCESS_KEY_ID is set), real AWS when the value is `aws`.
 *
 * @example
 * clientConfig(process.env['DYNAMODB_ENDPOINT'], LOCAL_ENDPOINTS.dynamodb);
 */
export function clientConfig(endpoint: string | undefined, fallback: string, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const chosen = endpoint?.trim() || fallback;
  if (chosen === REAL_AWS) return { region };
  const local = LOOPBACK.test(chosen) && !env['AWS_ACCESS_KEY_ID'];
  return { region, endpoint: chosen, ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}) };
}

/** The DynamoDB client of the environment (`DYNAMODB_ENDPOINT`), retrying throttled requests. */
export function dynamoFromEnvironment(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  return new DynamoDBClient({
    ...clientConfig(env['DYNAMODB_ENDPOINT'], LOCAL_ENDPOINTS.dynamodb, env),
    maxAttempts: DEFAULTS.dynamoMaxAttempts,
  });
}

/** The S3 client of the environment (`S3_ENDPOINT`; path-style addressing for a custom endpoint). */
export function s3FromEnvironment(env: NodeJS.ProcessEnv = process.env): S3Client {
  const config = clientConfig(env['S3_ENDPOINT'], LOCAL_ENDPOINTS.s3, env);
  return new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
}
