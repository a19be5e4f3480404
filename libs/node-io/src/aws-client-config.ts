import { staticCredentialsFrom, type StaticAwsCredentials } from '@ddb-os/sync-config';

/** Endpoint value meaning "the real AWS endpoint of the region". */
export const REAL_AWS_ENDPOINT = 'aws';

/** What an AWS SDK v3 client is built with. */
export interface AwsClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: StaticAwsCredentials;
}

const LOCAL_CREDENTIALS: StaticAwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * SDK client settings for an endpoint variable's value (`DYNAMODB_ENDPOINT`, `SQS_ENDPOINT`, `S3_ENDPOINT`): that
 * endpoint, or the region's real endpoint when unset or `aws`. Region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else
 * us-east-1. Credentials: the static ones `env` names — whatever the endpoint, since `env` is not always the process
 * environment the SDK's default chain reads — else `local`/`local` on loopback, else the default chain.
 *
 * @example
 * new DynamoDBClient(awsClientConfig(process.env['DYNAMODB_ENDPOINT'], process.env));
 */
export function awsClientConfig(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): AwsClientConfig {
  const region = env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1';
  const chosen = endpoint?.trim();
  const real = !chosen || chosen === REAL_AWS_ENDPOINT;
  const credentials = staticCredentialsFrom(env) ?? (!real && LOOPBACK.test(chosen) ? LOCAL_CREDENTIALS : undefined);
  return { region, ...(!real && { endpoint: chosen }), ...(credentials && { credentials }) };
}
