import { envFlag, envPositiveInt, parseEnvironment, syncTargetEnvironment, syncTargetFrom, type SyncTargetConfig } from '@ddb-os/sync-config';
import { z } from 'zod';
import { InvalidIndexingConfigError } from './errors';

const indexingEnvironment = syncTargetEnvironment.and(
  z.object({
    DLQ_URL: z.url({ message: 'must be the URL of the SQS dead-letter queue for poison records' }),
    SQS_ENDPOINT: z.url().optional(),
    DLQ_MAX_MESSAGE_BYTES: envPositiveInt(256 * 1024).pipe(
      z.number().min(1024, 'must be at least 1024 (the smallest SQS message size limit)').max(1024 * 1024, 'must be at most 1048576 (the SQS limit)'),
    ),
    DEADLINE_MARGIN_MS: z.coerce.number().int().nonnegative().default(3_000),
    TTL_DELETE_POLICY: z.enum(['delete', 'mark-expired']).default('delete'),
    NUMBER_POLICY: z.enum(['string', 'reject']).default('string'),
    UNROUTED_POLICY: z.enum(['skip', 'dead-letter']).default('skip'),
    METRICS_ENABLED: envFlag(Boolean(process.env['AWS_LAMBDA_FUNCTION_NAME'])),
  }),
);

/** The indexing settings: the shared sync target plus what the stream indexers (direct and buffered) need. */
export interface IndexingConfig extends SyncTargetConfig {
  readonly deadLetter: { readonly queueUrl: string; readonly sqsEndpoint: string | undefined; readonly maxMessageBytes: number };
  /** Time kept in reserve before Lambda's timeout: no write starts later than this. */
  readonly deadlineMarginMs: number;
  readonly ttlDeletePolicy: 'delete' | 'mark-expired';
  readonly numberPolicy: 'string' | 'reject';
  readonly unroutedPolicy: 'skip' | 'dead-letter';
  readonly metricsEnabled: boolean;
}

/**
 * Reads and validates the indexing configuration from environment variables.
 * Throws {@link InvalidIndexingConfigError} naming every bad variable, so a misconfigured function
 * fails at cold start instead of mis-indexing.
 *
 * @example
 * const config = loadIndexingConfig({ OPENSEARCH_NODE: 'http://127.0.0.1:9200', INDEX_ROUTES: '[{"index":"items","match":{"always":true}}]', KEY_ATTRIBUTES: 'pk,sk', DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq' });
 */
export function loadIndexingConfig(env: NodeJS.ProcessEnv = process.env): IndexingConfig {
  const e = parseEnvironment(indexingEnvironment, env, 'indexer', (_component, issues) => new InvalidIndexingConfigError(issues));
  return {
    ...syncTargetFrom(e),
    deadLetter: { queueUrl: e.DLQ_URL, sqsEndpoint: e.SQS_ENDPOINT, maxMessageBytes: e.DLQ_MAX_MESSAGE_BYTES },
    deadlineMarginMs: e.DEADLINE_MARGIN_MS,
    ttlDeletePolicy: e.TTL_DELETE_POLICY,
    numberPolicy: e.NUMBER_POLICY,
    unroutedPolicy: e.UNROUTED_POLICY,
    metricsEnabled: e.METRICS_ENABLED,
  };
}
