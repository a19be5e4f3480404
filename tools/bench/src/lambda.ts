import type { Context } from 'aws-lambda';
import { SYNC_ENV } from '@ddb-os/sync-contracts';
import { benchIndexVariables } from './bench-definition';
import type { IndexerEnvironment } from './types';

/**
 * A Lambda context whose remaining time counts down from `timeoutMs` (what the indexer reads to stop retrying in time).
 *
 * @example
 * await handler(event, benchContext(60_000));
 */
export function benchContext(timeoutMs: number, functionName = 'bench-indexer'): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `bench-${deadline}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The variables to set before the indexer loads and runs: the sync it serves (`SYNC_NAME`), the bench's index names
 * (read when the bench's definition loads), and what it reads at cold start. Routes and keys come from the definition.
 * Logs are kept at WARN so that the console shows the bench, not one line per batch.
 *
 * @example
 * Object.assign(process.env, indexerVariables({ openSearchNode, syncName: 'bench-reviews', indexes: { index }, dlqUrl, sqsEndpoint }));
 */
export function indexerVariables(env: IndexerEnvironment): Record<string, string> {
  return {
    OPENSEARCH_NODE: env.openSearchNode,
    [SYNC_ENV.syncName]: env.syncName,
    ...(env.indexes && benchIndexVariables(env.indexes)),
    DLQ_URL: env.dlqUrl,
    SQS_ENDPOINT: env.sqsEndpoint,
    METRICS_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: process.env['POWERTOOLS_LOG_LEVEL'] ?? 'WARN',
    ...env.extra,
  };
}
