import { z } from 'zod';
import { InvalidCliOptionsError } from './errors';

/** The local stack's endpoints (`npm run local-stack:up`): the default of every endpoint. */
export const LOCAL_ENDPOINTS = {
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  SQS_ENDPOINT: 'http://127.0.0.1:9324',
} as const;

/** An endpoint flag's value meaning "the service's real AWS endpoint of the region" (no endpoint override). */
export const REAL_AWS = 'aws';

/** The global endpoint flags and the variable each sets (flags win over the environment). */
export const ENDPOINT_FLAGS = {
  opensearchNode: 'OPENSEARCH_NODE',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  s3Endpoint: 'S3_ENDPOINT',
  sqsEndpoint: 'SQS_ENDPOINT',
} as const satisfies Record<string, keyof typeof LOCAL_ENDPOINTS>;

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;
const LOCAL_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' } as const;

const endpoint = z
  .string()
  .refine((value) => value === REAL_AWS || /^https?:\/\/[^/]+/.test(value), { message: `must be an http(s) URL or "${REAL_AWS}"` })
  .optional();
const globalFlagsSchema = z.object({
  opensearchNode: endpoint,
  dynamodbEndpoint: endpoint,
  s3Endpoint: endpoint,
  sqsEndpoint: endpoint,
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region, e.g. eu-west-1' })
    .optional(),
});

/** The global flags of `ddb-os` that shape the environment of every command. */
export type GlobalFlags = z.input<typeof globalFlagsSchema>;

/**
 * The environment a command runs with: the process environment, overridden by the endpoint flags, every endpoint
 * not set defaulting to the local stack (`aws` = the real endpoint), `AWS_REGION` to us-east-1, and — when no AWS
 * credentials are configured and every endpoint is on loopback — the local stack's dummy credentials (a new user's
 * shell has no `AWS_*` variables; the local servers accept any).
 *
 * @example
 * commandEnvironment({ dynamodbEndpoint: 'aws', region: 'eu-west-1' }, process.env);
 */
export function commandEnvironment(flags: GlobalFlags, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const parsed = globalFlagsSchema.safeParse(flags);
  if (!parsed.success)
    throw new InvalidCliOptionsError(parsed.error.issues.map((issue) => `${flagName(String(issue.path[0]))}: ${issue.message}`));
  const result: NodeJS.ProcessEnv = { ...env };
  for (const [flag, variable] of Object.entries(ENDPOINT_FLAGS)) {
    const chosen = parsed.data[flag as keyof typeof ENDPOINT_FLAGS] ?? (env[variable]?.trim() || LOCAL_ENDPOINTS[variable]);
    if (chosen === REAL_AWS) delete result[variable];
    else result[variable] = chosen;
  }
  result['AWS_REGION'] = parsed.data.region ?? (env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1');
  return usesOnlyLoopback(result) && !hasCredentials(env) ? { ...result, ...LOCAL_CREDENTIALS } : result;
}

function usesOnlyLoopback(env: NodeJS.ProcessEnv): boolean {
  return Object.values(ENDPOINT_FLAGS).every((variable) => LOOPBACK.test(env[variable] ?? ''));
}

function hasCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env['AWS_ACCESS_KEY_ID'] || env['AWS_PROFILE'] || env['AWS_WEB_IDENTITY_TOKEN_FILE'] || env['AWS_CONTAINER_CREDENTIALS_FULL_URI'],
  );
}

/** `opensearchNode` → `--opensearch-node`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
