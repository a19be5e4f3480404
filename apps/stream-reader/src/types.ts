import type { StaticAwsCredentials } from '@ddb-os/sync-config';
/** One stream record as a FIFO message: its JSON, its message group (the document) and its deduplication id. */
export interface BufferMessage {
  /** Position of the record in the Lambda batch. */
  readonly position: number;
  readonly body: string;
  readonly bytes: number;
  readonly groupId: string;
  readonly deduplicationId: string;
}

/** Where buffered records go: an SQS FIFO queue (locally) or an SNS FIFO topic (in AWS). */
export interface BufferPublisher {
  readonly description: string;
  /**
   * Publishes up to ten messages in one call (their bodies within the byte limit together);
   * resolves with the positions the service did not accept, rejects when the call itself failed.
   */
  publishBatch(messages: readonly BufferMessage[]): Promise<Set<number>>;
}

export interface StreamReaderConfig {
  readonly target: { readonly kind: 'queue'; readonly queueUrl: string } | { readonly kind: 'topic'; readonly topicArn: string };
  readonly keyAttributes: readonly string[];
  readonly region: string;
  /** Credentials the reader's own environment names, for its SQS and SNS clients; `undefined`: the SDK's default chain. */
  readonly credentials: StaticAwsCredentials | undefined;
  readonly sqsEndpoint: string | undefined;
  readonly snsEndpoint: string | undefined;
  readonly deadLetter: { readonly queueUrl: string; readonly maxMessageBytes: number };
  /** Largest message (and largest batch call) the buffer accepts: 256 KiB for SNS FIFO and classic SQS. */
  readonly maxMessageBytes: number;
}
