import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from '@ddb-os/node-io';
import { DEFAULTS } from './constants';

/** The DynamoDB client of the environment (`DYNAMODB_ENDPOINT`), retrying throttled requests. */
export function dynamoFromEnvironment(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  return new DynamoDBClient({
    ...awsClientConfig(env['DYNAMODB_ENDPOINT'], env),
    maxAttempts: DEFAULTS.dynamoMaxAttempts,
  });
}

/** The S3 client of the environment (`S3_ENDPOINT`; path-style addressing for a custom endpoint). */
export function s3FromEnvironment(env: NodeJS.ProcessEnv = process.env): S3Client {
  const config = awsClientConfig(env['S3_ENDPOINT'], env);
  return new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
}
