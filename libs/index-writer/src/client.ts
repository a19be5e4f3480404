import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { z } from 'zod';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './constants';
import { parseOrThrow } from './validation';

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('basic'), username: z.string().min(1), password: z.string() }),
  z.object({ kind: z.literal('sigv4'), region: z.string().min(1), service: z.enum(['es', 'aoss']).default('es') }),
]);

const clientConfigSchema = z.object({
  /** `http(s)://host:port` of the cluster or domain endpoint. */
  node: z.url({ protocol: /^https?$/ }),
  auth: authSchema.default({ kind: 'none' }),
  requestTimeoutMs: z.int().positive().default(DEFAULT_REQUEST_TIMEOUT_MS),
  /** Transport-level retries; 0 by default because `applyWrites` retries with backoff and a deadline. */
  maxRetries: z.int().min(0).max(10).default(0),
  keepAlive: z.boolean().default(true),
  maxSockets: z.int().positive().default(64),
});

/** Configuration of `createOpenSearchClient` (validated; defaults in brackets). */
export type OpenSearchClientConfig = z.input<typeof clientConfigSchema>;

/** Authentication of `createOpenSearchClient`. */
export type OpenSearchAuth = z.input<typeof authSchema>;

/** AWS credentials, as the AWS SDK credential providers return them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Dependencies of `createOpenSearchClient` that tests replace. */
export interface OpenSearchClientDependencies {
  /** SigV4 credentials. @default the AWS SDK default chain (`fromNodeProviderChain()`) */
  readonly credentials?: () => Promise<AwsCredentials>;
}

/**
 * An OpenSearch client with keep-alive connections, a request timeout, and no auth, basic auth, or SigV4
 * (service `es` for a managed domain, `aoss` for Serverless; credentials from the AWS SDK default chain).
 * Throws `InvalidIndexWriterConfigError` naming each bad field.
 *
 * @example
 * const client = createOpenSearchClient({ node: 'https://search-x.eu-west-1.es.amazonaws.com', auth: { kind: 'sigv4', region: 'eu-west-1' } });
 */
export function createOpenSearchClient(config: OpenSearchClientConfig, dependencies: OpenSearchClientDependencies = {}): Client {
  const parsed = parseOrThrow(clientConfigSchema, config, 'OpenSearch client config');
  const common = {
    node: parsed.node,
    requestTimeout: parsed.requestTimeoutMs,
    maxRetries: parsed.maxRetries,
    agent: { keepAlive: parsed.keepAlive, maxSockets: parsed.maxSockets },
  };
  switch (parsed.auth.kind) {
    case 'none':
      return new Client(common);
    case 'basic':
      return new Client({ ...common, auth: { username: parsed.auth.username, password: parsed.auth.password } });
    case 'sigv4': {
      const credentials = dependencies.credentials ?? fromNodeProviderChain();
      const signer = AwsSigv4Signer({
        region: parsed.auth.region,
        service: parsed.auth.service,
        getCredentials: () => credentials(),
      });
      return new Client({ ...common, ...signer });
    }
  }
}
