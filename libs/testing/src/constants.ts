/** Endpoints of the local stack on loopback: the defaults when the environment sets nothing. */
export const DEFAULT_ENDPOINTS = {
  dynamodb: 'http://127.0.0.1:8000',
  opensearch: 'http://127.0.0.1:9200',
  sqs: 'http://127.0.0.1:9324',
  s3: 'http://127.0.0.1:9000',
} as const;

export const DEFAULT_REGION = 'us-east-1';

/** Dummy credentials the local servers accept (S3Proxy checks them; the others ignore them). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Environment variable of each endpoint. */
export const ENDPOINT_ENV_VARS = {
  dynamodb: 'DYNAMODB_ENDPOINT',
  opensearch: 'OPENSEARCH_NODE',
  sqs: 'SQS_ENDPOINT',
  s3: 'S3_ENDPOINT',
} as const;

/** Longest prefix `uniqueName` accepts, so the whole name stays within S3's 63-character bucket limit. */
export const MAX_NAME_PREFIX_LENGTH = 40;
