/** Where the servers of the stack are, and how to talk to them (read from the environment). */
export interface StackEndpoints {
  /** DynamoDB + DynamoDB Streams API (moto server locally). */
  readonly dynamodb: string;
  /** OpenSearch HTTP endpoint. */
  readonly opensearch: string;
  /** SQS API (ElasticMQ locally). */
  readonly sqs: string;
  /** S3 API (S3Proxy locally), path-style addressing. */
  readonly s3: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many milliseconds. Default 10000. */
  readonly timeoutMs?: number;
  /** Pause between attempts in milliseconds. Default 100. */
  readonly intervalMs?: number;
  /** What is being waited for, used in the timeout error. */
  readonly description?: string;
}

/** Names of the key attributes of a table (both of type S). */
export interface TableKeyNames {
  /** Partition key attribute name. */
  readonly pk: string;
  /** Sort key attribute name; omit for a table with a partition key only. */
  readonly sk?: string;
}
