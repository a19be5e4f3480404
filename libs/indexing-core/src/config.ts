import {
  envFlag,
  envHttpUrl,
  envNonNegativeInt,
  envSqsMessageBytes,
  parseEnvironment,
  syncTargetEnvironment,
  syncTargetFrom,
  type SyncRouting,
  type SyncTargetConfig,
} from '@ddb-os/sync-config';
import { z } from 'zod';
import { InvalidIndexingConfigError } from './errors';
import { SYNC_ENV } from '@ddb-os/sync-contracts';

const indexingEnvironment = syncTargetEnvironment.and(
  z.object({
    [SYNC_ENV.deadLetterQueueUrl]: envHttpUrl(
      'the SQS dead-letter queue for poison records',
      'http://127.0.0.1:9324/000000000000/indexer-dlq',
    ),
    SQS_ENDPOINT: envHttpUrl('the SQS endpoint', 'http://127.0.0.1:9324').optional(),
    DLQ_MAX_MESSAGE_BYTES: envSqsMessageBytes(256 * 1024),
    DEADLINE_MARGIN_MS: envNonNegativeInt(3_000, 900_000),
    // Default: on in Lambda (AWS_LAMBDA_FUNCTION_NAME set in the environment read), off elsewhere.
    METRICS_ENABLED: envFlag(false).optional(),
    [SYNC_ENV.tableName]: z.string().min(3, 'must name the synced table').optional(),
  }),
);

/** The indexing settings: the shared sync target plus what the stream indexers (direct and buffered) need. */
export interface IndexingConfig extends SyncTargetConfig {
  readonly deadLetter: { readonly queueUrl: string; readonly sqsEndpoint: string | undefined; readonly maxMessageBytes: number };
  /** Time kept in reserve before Lambda's timeout: no write starts later than this. */
  readonly deadlineMarginMs: number;
  readonly metricsEnabled: boolean;
}

/**
 * The indexing configuration of a sync's routing, with the endpoints and policies read from environment variables.
 * Throws {@link InvalidIndexingConfigError} naming every bad variable, so a misconfigured function
 * fails at cold start instead of mis-indexing.
 *
 * @example
 * const config = loadIndexingConfig(syncs.named('demo').routingFor(['pk', 'sk']), { OPENSEARCH_NODE: 'http://127.0.0.1:9200', DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq' });
 */
export function loadIndexingConfig(routing: SyncRouting, env: NodeJS.ProcessEnv = process.env): IndexingConfig {
  const e = parseEnvironment(indexingEnvironment, env, 'indexer', (_component, issues) => new InvalidIndexingConfigError(issues));
  return {
    ...syncTargetFrom(routing, e),
    deadLetter: { queueUrl: e.DLQ_URL, sqsEndpoint: e.SQS_ENDPOINT, maxMessageBytes: e.DLQ_MAX_MESSAGE_BYTES },
    deadlineMarginMs: e.DEADLINE_MARGIN_MS,
    metricsEnabled: e.METRICS_ENABLED ?? Boolean(env['AWS_LAMBDA_FUNCTION_NAME']),
  };
}
