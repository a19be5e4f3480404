import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDeadLetterSender, streamBatchResponse } from '@ddb-os/indexing-core';
import { lambdaHandler, powertoolsLogger, type LambdaHandler } from '@ddb-os/lambda-runtime';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Syncs } from '@ddb-os/sync-definition';
import { streamReaderConfigOf } from './config';
import { UnreportablePublishFailureError } from './errors';
import { publishRecords, type PublishDependencies } from './publish-records';
import { snsPublisher, sqsPublisher } from './publishers';
import type { BufferPublisher, StreamReaderConfig } from './types';

/**
 * Buffers one DynamoDB Streams batch and answers with Lambda's partial batch response: the
 * earliest record that did not reach the buffer. Lambda resumes there and re-sends the rest;
 * records already published are dropped by FIFO deduplication (same eventID), and any that slip
 * past its 5-minute window are harmless, because every write is ordered by its own record.
 */
export async function handleStreamToBuffer(
  event: { Records?: readonly unknown[] },
  deps: PublishDependencies,
): Promise<DynamoDBBatchResponse> {
  const records = Array.isArray(event?.Records) ? event.Records : [];
  const result = await publishRecords(records, deps);
  deps.logger.info('batch buffered', {
    records: records.length,
    published: result.published,
    deadLettered: result.deadLettered,
    unpublished: result.unpublished.size,
  });
  return streamBatchResponse(records, result.unpublished, deps.logger, (positions) => new UnreportablePublishFailureError(positions));
}

/** The SQS or SNS publisher the configuration names. */
export function bufferPublisher(config: StreamReaderConfig): BufferPublisher {
  if (config.target.kind === 'topic')
    return snsPublisher(
      new SNSClient({ ...awsOptionsOf(config), ...(config.snsEndpoint ? { endpoint: config.snsEndpoint } : {}) }),
      config.target.topicArn,
    );
  return sqsPublisher(sqsClientFor(config), config.target.queueUrl);
}

const sqsClientFor = (config: StreamReaderConfig): SQSClient =>
  new SQSClient({ ...awsOptionsOf(config), ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}) });

const awsOptionsOf = (config: StreamReaderConfig) => ({
  region: config.region,
  ...(config.credentials && { credentials: config.credentials }),
});

/** The stream reader's Lambda handler, plus a way to forget its cold-start state. */
export type StreamReaderHandler = LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>;

/**
 * The stream reader's Lambda handler for the sync `SYNC_NAME` names in `syncs`; its configuration is read at the
 * first invocation (cold start), so an invalid configuration fails before any record is touched.
 *
 * @example
 * export const handler = createStreamReaderHandler(syncs); // syncs: the workspace definition (`@ddb-os/syncs`)
 */
export function createStreamReaderHandler(syncs: Syncs, env?: NodeJS.ProcessEnv): StreamReaderHandler {
  return lambdaHandler({
    serviceName: 'ddb-os-stream-reader',
    ...(env && { env }),
    // `process.env` read at each build, not at import: a runner or test may replace it before the first invocation.
    build: async (logger) => publishDependencies(await streamReaderConfigOf(syncs, env ?? process.env), logger),
    handle: (event, _context, deps) => handleStreamToBuffer(event, deps),
  });
}

function publishDependencies(config: StreamReaderConfig, logger: Logger): PublishDependencies {
  return {
    publisher: bufferPublisher(config),
    deadLetter: createDeadLetterSender(async () => sqsClientFor(config), config.deadLetter.queueUrl, config.deadLetter.maxMessageBytes),
    keyAttributes: config.keyAttributes,
    maxMessageBytes: config.maxMessageBytes,
    logger: powertoolsLogger(logger),
  };
}
