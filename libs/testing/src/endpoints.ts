import { DEFAULT_ENDPOINTS, DEFAULT_REGION, ENDPOINT_ENV_VARS, LOCAL_CREDENTIALS } from './constants';
import type { StackEndpoints } from './types';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The endpoints of the stack from the environment, falling back to the local stack on loopback.
 *
 * @example
 * const { opensearch } = stackEndpoints(); // 'http://127.0.0.1:9200' unless OPENSEARCH_NODE is set
 */
export function stackEndpoints(env: Env = process.env): StackEndpoints {
  return {
    dynamodb: valueOr(env[ENDPOINT_ENV_VARS.dynamodb], DEFAULT_ENDPOINTS.dynamodb),
    opensearch: valueOr(env[ENDPOINT_ENV_VARS.opensearch], DEFAULT_ENDPOINTS.opensearch),
    sqs: valueOr(env[ENDPOINT_ENV_VARS.sqs], DEFAULT_ENDPOINTS.sqs),
    s3: valueOr(env[ENDPOINT_ENV_VARS.s3], DEFAULT_ENDPOINTS.s3),
    region: valueOr(env['AWS_REGION'], DEFAULT_REGION),
    credentials: {
      accessKeyId: valueOr(env['AWS_ACCESS_KEY_ID'], LOCAL_CREDENTIALS.accessKeyId),
      secretAccessKey: valueOr(env['AWS_SECRET_ACCESS_KEY'], LOCAL_CREDENTIALS.secretAccessKey),
    },
  };
}

function valueOr(value: string | undefined, fallback: string): string {
  const trimmed = value?.trim();
  return trimmed ? trimmed : fallback;
}
