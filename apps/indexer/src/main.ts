import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { indexSchemas } from '@ddb-os/schemas';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loadIndexerConfig } from './config';
import { createDeadLetterSender } from './dead-letter';
import { batchMetricsRecorder } from './metrics';
import { createOpenSearchIndex } from './opensearch-index';
import { processBatch, type BatchDependencies } from './process-batch';

const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] ?? 'ddb-os-indexer';
const logger = new Logger({ serviceName });

let dependencies: BatchDependencies | undefined;

/** Built once per cold start: an invalid configuration fails here, before any record is touched. */
function coldStart(): BatchDependencies {
  const config = loadIndexerConfig();
  const client = createOpenSearchClient({ node: config.openSearch.node, auth: config.openSearch.auth, requestTimeoutMs: config.openSearch.requestTimeoutMs });
  const sqs = new SQSClient({ region: config.region, ...(config.deadLetter.sqsEndpoint ? { endpoint: config.deadLetter.sqsEndpoint } : {}) });
  return {
    config,
    schemas: indexSchemas,
    index: createOpenSearchIndex(client, config, indexSchemas),
    deadLetter: createDeadLetterSender(sqs, config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    log: (message, fields) => logger.info(message, fields),
    ...(config.metricsEnabled ? { recordStats: batchMetricsRecorder(new Metrics({ namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'DynamoDbOpenSearchSync', serviceName })) } : {}),
  };
}

/**
 * Lambda handler for a DynamoDB Streams batch (event source mapping with `ReportBatchItemFailures`).
 * Returns the earliest retryable failure so Lambda resumes the shard there; poison records go to
 * the dead-letter queue without blocking the shard.
 */
export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  dependencies ??= coldStart();
  logger.addContext(context);
  return processBatch(event, context, dependencies);
};

/** Forgets the cold-start state (tests and the local runner reconfigure between runs). */
export function resetIndexerForTests(): void {
  dependencies = undefined;
}
