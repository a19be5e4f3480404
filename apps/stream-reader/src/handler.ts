import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDeadLetterSender, earliestFailure, powertoolsLogger } from '@ddb-os/indexing-core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loadStreamReaderConfig } from './config';
import { UnreportablePublishFailureError } from './errors';
import { publishRecords, type PublishDependencies } from './publish-records';
import { SnsPublisher, SqsPublisher } from './publishers';
import type { BufferPublisher, StreamReaderConfig } from './types';

/**
 * Buffers one DynamoDB Streams batch and answers with Lambda's partial batch response: the
 * earliest record that did not reach the buffer. Lambda resumes there and re-sends the rest;
 * records already published are dropped by FIFO deduplication (same eventID), and any that slip
 * past its 5-minute window are harmless, because every write is ordered by its own record.
 */
export async function handleStreamToBuffer(event: { Records?: readonly unknown[] }, deps: PublishDependencies): Promise<DynamoDBBatchResponse> {
  const records = Array.isArray(event?.Records) ? event.Records : [];
  const result = await publishRecords(records, deps);
  deps.logger.info('batch buffered', { records: records.length, published: result.published, deadLettered: result.deadLettered, unpublished: result.unpublished.size });
  const sequenceNumbers = [...result.unpublished].map((position) => ({ position, sequenceNumber: sequenceNumberOf(records[position]) }));
  const unreportable = sequenceNumbers.filter((entry) => entry.sequenceNumber === undefined).map((entry) => entry.position);
  if (unreportable.length > 0) {
    const error = new UnreportablePublishFailureError(unreportable);
    deps.logger.error(error.message, { positions: unreportable });
    throw error;
  }
  return { batchItemFailures: earliestFailure(sequenceNumbers.map((entry) => entry.sequenceNumber as string)) };
}

function sequenceNumberOf(record: unknown): string | undefined {
  const sequenceNumber = (record as { dynamodb?: { SequenceNumber?: unknown } } | undefined)?.dynamodb?.SequenceNumber;
  return typeof sequenceNumber === 'string' && /^\d{1,40}$/.test(sequenceNumber) ? sequenceNumber : undefined;
}

/** The SQS or SNS publisher the configuration names. */
export function bufferPublisher(config: StreamReaderConfig): BufferPublisher {
  if (config.target.kind === 'topic') return new SnsPublisher(new SNSClient({ region: config.region, ...(config.snsEndpoint ? { endpoint: config.snsEndpoint } : {}) }), config.target.topicArn);
  return new SqsPublisher(sqsClientFor(config), config.target.queueUrl);
}

const sqsClientFor = (config: StreamReaderConfig): SQSClient => new SQSClient({ region: config.region, ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}) });

/** A Lambda handler for DynamoDB Streams batches, plus a way to forget its cold-start state. */
export interface StreamReaderHandler {
  (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse>;
  /** Forgets the configuration and clients built at cold start (tests and local runners reconfigure). */
  reset(): void;
}

/**
 * The stream reader's Lambda handler; its configuration is read from the environment at the first
 * invocation, so an invalid configuration fails before any record is touched.
 *
 * @example
 * export const handler = createStreamReaderHandler();
 */
export function createStreamReaderHandler(loadConfig: () => StreamReaderConfig = () => loadStreamReaderConfig()): StreamReaderHandler {
  const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'ddb-os-stream-reader' });
  let dependencies: PublishDependencies | undefined;
  const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    dependencies ??= publishDependencies(loadConfig(), logger);
    logger.addContext(context);
    return handleStreamToBuffer(event, dependencies);
  };
  return Object.assign(handler, { reset: () => void (dependencies = undefined) });
}

function publishDependencies(config: StreamReaderConfig, logger: Logger): PublishDependencies {
  return {
    publisher: bufferPublisher(config),
    deadLetter: createDeadLetterSender(sqsClientFor(config), config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    keyAttributes: config.keyAttributes,
    maxMessageBytes: config.maxMessageBytes,
    logger: powertoolsLogger(logger),
  };
}
