import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { S3FailedBatchObjects } from './failed-batch-objects';
import { loadFailureHandlerConfig, type FailureHandlerConfig } from './config';
import { SERVICE_NAME } from './constants';
import { createFailureHandler } from './handler';
import { powertoolsMetrics } from './metrics';

// Powertools reads POWERTOOLS_SERVICE_NAME itself; the fallback names the function when it is unset.
const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME });
const config = loadConfigOrExplain();

const s3 = new S3Client({ region: config.region, endpoint: config.s3Endpoint, forcePathStyle: config.s3Endpoint !== undefined });
const archiveFailures = createFailureHandler({
  config,
  streams: new DynamoDBStreamsClient({ region: config.region, endpoint: config.dynamoDbEndpoint }),
  store: new S3ArchiveStore(s3, config.archive.bucket),
  objects: new S3FailedBatchObjects(s3),
  logger,
  metrics: powertoolsMetrics(config.metricsNamespace, config.serviceName),
  now: () => new Date(),
});

/** Lambda entry point (SQS event source with `ReportBatchItemFailures`) for the on-failure queue and the indexer DLQ. */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  // Local runners may call it without a Lambda context.
  if (context) logger.addContext(context);
  return archiveFailures(event);
};

/** Fails the cold start with every configuration problem named, rather than mid-batch. */
function loadConfigOrExplain(): FailureHandlerConfig {
  try {
    return loadFailureHandlerConfig(process.env);
  } catch (error) {
    logger.critical('Cannot start: invalid configuration', { error: error as Error });
    throw error;
  }
}
