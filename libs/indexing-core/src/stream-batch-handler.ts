import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import { indexSchemas } from '@ddb-os/schemas';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loadIndexingConfig, type IndexingConfig } from './config';
import { createDeadLetterSender } from './dead-letter';
import { indexRecords, type IndexingDependencies } from './index-records';
import { batchMetricsRecorder } from './metrics';
import { createOpenSearchIndex } from './opensearch-index';
import { UnreportableFailureError } from './unreportable-failure';

/**
 * Indexes one DynamoDB Streams batch and answers with Lambda's partial batch response: the earliest
 * record that must be delivered again. Lambda resumes the shard before the lowest reported sequence
 * number and re-sends everything after it, so reporting only the earliest failure is sufficient and
 * minimal — and harmless, because every write is ordered by its own record.
 */
export async function handleStreamBatch(event: { Records?: readonly unknown[] }, context: Pick<Context, 'getRemainingTimeInMillis'>, deps: IndexingDependencies): Promise<DynamoDBBatchResponse> {
  const records = Array.isArray(event?.Records) ? event.Records : [];
  const msLeft = () => context.getRemainingTimeInMillis() - deps.config.deadlineMarginMs;
  const { failedPositions } = await indexRecords(records, msLeft, deps);
  const failedSequenceNumbers = [...failedPositions].map((position) => sequenceNumberOf(records[position]));
  const unreportable = [...failedPositions].filter((_, i) => failedSequenceNumbers[i] === undefined);
  if (unreportable.length > 0) throw new UnreportableFailureError(unreportable);
  return { batchItemFailures: earliestFailure(failedSequenceNumbers as string[]) };
}

/** The earliest (numerically lowest) sequence number, as a partial batch response. */
export function earliestFailure(sequenceNumbers: Iterable<string>): { itemIdentifier: string }[] {
  let earliest: string | undefined;
  for (const sequenceNumber of sequenceNumbers) {
    if (earliest === undefined || BigInt(sequenceNumber) < BigInt(earliest)) earliest = sequenceNumber;
  }
  return earliest === undefined ? [] : [{ itemIdentifier: earliest }];
}

function sequenceNumberOf(record: unknown): string | undefined {
  const sequenceNumber = (record as { dynamodb?: { SequenceNumber?: unknown } } | undefined)?.dynamodb?.SequenceNumber;
  return typeof sequenceNumber === 'string' && /^\d{1,40}$/.test(sequenceNumber) ? sequenceNumber : undefined;
}

/** A Lambda handler for DynamoDB Streams batches, plus a way to forget its cold-start state. */
export interface StreamBatchHandler {
  (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse>;
  /** Forgets the configuration and clients built at cold start (tests and local runners reconfigure). */
  reset(): void;
}

/**
 * The indexer's Lambda handler. Its configuration is read from the environment at the first
 * invocation (cold start), so an invalid configuration fails before any record is touched.
 *
 * @example
 * export const handler = createStreamBatchHandler();
 */
export function createStreamBatchHandler(loadConfig: () => IndexingConfig = () => loadIndexingConfig()): StreamBatchHandler {
  const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] ?? 'ddb-os-indexer';
  const logger = new Logger({ serviceName });
  let dependencies: IndexingDependencies | undefined;
  const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    dependencies ??= indexingDependencies(loadConfig(), logger, serviceName);
    logger.addContext(context);
    return handleStreamBatch(event, context, dependencies);
  };
  return Object.assign(handler, { reset: () => void (dependencies = undefined) });
}

/** Clients and ports of the indexing core for a configuration. */
export function indexingDependencies(config: IndexingConfig, logger: Logger, serviceName: string): IndexingDependencies {
  const client = createOpenSearchClient({ node: config.openSearch.node, auth: config.openSearch.auth, requestTimeoutMs: config.openSearch.requestTimeoutMs });
  const sqs = new SQSClient({ region: config.region, ...(config.deadLetter.sqsEndpoint ? { endpoint: config.deadLetter.sqsEndpoint } : {}) });
  const metrics = config.metricsEnabled ? new Metrics({ namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'DynamoDbOpenSearchSync', serviceName }) : undefined;
  return {
    config,
    schemas: indexSchemas,
    index: createOpenSearchIndex(client, config, indexSchemas),
    deadLetter: createDeadLetterSender(sqs, config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    log: (message, fields) => logger.info(message, fields),
    ...(metrics ? { recordStats: batchMetricsRecorder(metrics) } : {}),
  };
}
