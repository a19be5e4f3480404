import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ArchiveStore } from '@ddb-os/failure-archive';
import { lambdaHandler, powertoolsLogger, type LambdaHandler } from '@ddb-os/lambda-runtime';
import { staticCredentialsFrom } from '@ddb-os/sync-config';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { S3FailedBatchObjects } from './failed-batch-objects';
import { loadFailureHandlerConfig, type FailureHandlerConfig } from './config';
import { SERVICE_NAME } from './constants';
import { createFailureHandler, type FailureHandler } from './handler';
import { powertoolsMetrics } from './metrics';

/** The Lambda handler's shape: an SQS event (and Lambda's context, absent under local runners) in, a partial batch response out. */
export type SqsLambdaHandler = LambdaHandler<SQSEvent, SQSBatchResponse, Context | undefined>;

/**
 * The failure handler configured from `env` (not necessarily the process environment: the local demo runs it
 * in-process with its own settings). Credentials named in `env` reach every client it builds; without them the
 * SDK's default chain (Lambda's role) applies. Throws naming every configuration problem, when it is called: before
 * any message is handled (the configuration is read now; the clients are built at the first invocation).
 *
 * @example
 * const archive = failureHandlerFor({ ARCHIVE_BUCKET: 'demo-failures', S3_ENDPOINT: 'http://127.0.0.1:9000', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
 * await archive({ Records: [] });
 */
export function failureHandlerFor(env: NodeJS.ProcessEnv): SqsLambdaHandler {
  // Read here rather than by start(), which reports a bad configuration only through a promise.
  const config = loadFailureHandlerConfig(env);
  return lazyFailureHandler(env, () => config);
}

function lazyFailureHandler(env: NodeJS.ProcessEnv, configOf = () => loadFailureHandlerConfig(env)): SqsLambdaHandler {
  return lambdaHandler<SQSEvent, SQSBatchResponse, FailureHandler, Context | undefined>({
    serviceName: SERVICE_NAME,
    env,
    build: (logger) => archiveFailuresFor(configOf(), env, logger),
    handle: (event, _context, archiveFailures) => archiveFailures(event),
  });
}

function archiveFailuresFor(config: FailureHandlerConfig, env: NodeJS.ProcessEnv, logger: Logger): FailureHandler {
  const credentials = staticCredentialsFrom(env);
  const aws = { region: config.region, ...(credentials && { credentials }) };
  const s3 = new S3Client({ ...aws, endpoint: config.s3Endpoint, forcePathStyle: config.s3Endpoint !== undefined });
  return createFailureHandler({
    config,
    streams: new DynamoDBStreamsClient({ ...aws, endpoint: config.dynamoDbEndpoint }),
    store: new S3ArchiveStore(s3, config.archive.bucket),
    objects: new S3FailedBatchObjects(s3),
    logger: powertoolsLogger(logger),
    metrics: powertoolsMetrics(config.metricsNamespace, config.serviceName),
    now: () => new Date(),
  });
}

/**
 * Lambda entry point (SQS event source with `ReportBatchItemFailures`) for the on-failure queue and the indexer DLQ.
 * Built at the first invocation rather than at import, so that a local runner can load this module with its own
 * settings; in Lambda an invalid configuration still fails the very first invocation, before any message is touched.
 */
export const handler: SqsLambdaHandler = lazyFailureHandler(process.env);
