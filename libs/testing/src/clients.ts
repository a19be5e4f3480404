import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, type DynamoDBStreamsClientConfig } from '@aws-sdk/client-dynamodb-streams';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { Client as OpenSearchClient, type ClientOptions as OpenSearchClientOptions } from '@opensearch-project/opensearch';
import { stackEndpoints } from './endpoints';
import type { StackEndpoints } from './types';

function awsBase(endpoints: StackEndpoints, endpoint: string) {
  return { endpoint, region: endpoints.region, credentials: endpoints.credentials };
}

/**
 * DynamoDB client for the stack (`DYNAMODB_ENDPOINT`).
 *
 * @example
 * await dynamoClient().send(new ListTablesCommand({}));
 */
export function dynamoClient(overrides: DynamoDBClientConfig = {}, endpoints: StackEndpoints = stackEndpoints()): DynamoDBClient {
  return new DynamoDBClient({ ...awsBase(endpoints, endpoints.dynamodb), ...overrides });
}

/** DynamoDB Streams client for the stack (same endpoint as DynamoDB: moto serves both APIs on one port). */
export function streamsClient(
  overrides: DynamoDBStreamsClientConfig = {},
  endpoints: StackEndpoints = stackEndpoints(),
): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ ...awsBase(endpoints, endpoints.dynamodb), ...overrides });
}

/** SQS client for the stack (`SQS_ENDPOINT`). */
export function sqsClient(overrides: SQSClientConfig = {}, endpoints: StackEndpoints = stackEndpoints()): SQSClient {
  return new SQSClient({ ...awsBase(endpoints, endpoints.sqs), ...overrides });
}

/**
 * S3 client for the stack (`S3_ENDPOINT`), path-style addressing.
 * Checksums only when an operation requires them: S3Proxy 4.1 often drops the connection before reading the
 * trailing checksum that the SDK appends to streamed bodies by default (`write EPIPE`).
 */
export function s3Client(overrides: S3ClientConfig = {}, endpoints: StackEndpoints = stackEndpoints()): S3Client {
  return new S3Client({
    ...awsBase(endpoints, endpoints.s3),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

/** OpenSearch client for the stack (`OPENSEARCH_NODE`), no authentication. */
export function openSearchClient(
  overrides: Partial<OpenSearchClientOptions> = {},
  endpoints: StackEndpoints = stackEndpoints(),
): OpenSearchClient {
  return new OpenSearchClient({ node: endpoints.opensearch, ...overrides });
}
