import { DEFAULT_ARCHIVE_PREFIX } from '@ddb-os/failure-archive';
import { envFlag, envHttpUrl, envPositiveInt, envRegion, parseEnvironment } from '@ddb-os/sync-config';
import { z } from 'zod';
import { DEFAULT_METRICS_NAMESPACE, SERVICE_NAME } from './constants';
import { InvalidFailureHandlerConfigError } from './errors';
import { SYNC_ENV } from '@ddb-os/sync-contracts';

const environmentSchema = z.object({
  [SYNC_ENV.archiveBucket]: z
    .string({ message: 'is required: the S3 bucket that keeps failed records' })
    .min(3, 'must be an S3 bucket name'),
  ARCHIVE_PREFIX: z.string().default(DEFAULT_ARCHIVE_PREFIX),
  ARCHIVE_GZIP: envFlag(false),
  S3_ENDPOINT: envHttpUrl('the S3 endpoint', 'http://127.0.0.1:9000').optional(),
  DYNAMODB_ENDPOINT: envHttpUrl('the DynamoDB endpoint', 'http://127.0.0.1:8000').optional(),
  [SYNC_ENV.tableName]: z.string().min(3, 'must be a DynamoDB table name').optional(),
  AWS_REGION: envRegion,
  MAX_GET_RECORDS_CALLS: envPositiveInt(100, 10_000),
  [SYNC_ENV.metricsNamespace]: z.string().min(1).default(DEFAULT_METRICS_NAMESPACE),
  [SYNC_ENV.serviceName]: z.string().min(1).default(SERVICE_NAME),
});

/** The failure handler's settings. */
export interface FailureHandlerConfig {
  readonly archive: { readonly bucket: string; readonly prefix: string; readonly gzip: boolean };
  readonly s3Endpoint: string | undefined;
  readonly dynamoDbEndpoint: string | undefined;
  /** Overrides the table name otherwise read from the stream ARN. */
  readonly tableName: string | undefined;
  readonly region: string;
  /** Upper bound of GetRecords calls for one failed range, so a range that never ends cannot loop. */
  readonly maxGetRecordsCalls: number;
  readonly metricsNamespace: string;
  /** The `service` dimension of metrics and logs (the sync's name when deployed by the construct). */
  readonly serviceName: string;
}

/**
 * Reads the configuration from environment variables; throws {@link InvalidFailureHandlerConfigError}
 * naming every bad variable, so a misconfigured function fails at cold start.
 *
 * @example
 * const config = loadFailureHandlerConfig({ ARCHIVE_BUCKET: 'sync-failures', ARCHIVE_GZIP: 'true' });
 */
export function loadFailureHandlerConfig(env: NodeJS.ProcessEnv = process.env): FailureHandlerConfig {
  const e = parseEnvironment(
    environmentSchema,
    env,
    'failure-handler',
    (_component, issues) => new InvalidFailureHandlerConfigError(issues),
  );
  return {
    archive: { bucket: e.ARCHIVE_BUCKET, prefix: e.ARCHIVE_PREFIX, gzip: e.ARCHIVE_GZIP },
    s3Endpoint: e.S3_ENDPOINT,
    dynamoDbEndpoint: e.DYNAMODB_ENDPOINT,
    tableName: e.TABLE_NAME,
    region: e.AWS_REGION,
    maxGetRecordsCalls: e.MAX_GET_RECORDS_CALLS,
    metricsNamespace: e.POWERTOOLS_METRICS_NAMESPACE,
    serviceName: e.POWERTOOLS_SERVICE_NAME,
  };
}
