import type { ReceivedPoisonRecordMessage } from '@ddb-os/sync-contracts';
import type { OnFailureRecord } from './messages';
import type { NotifiedObject } from './s3-notification';

/** A queue message, classified. */
export type ParsedFailureMessage =
  | { readonly kind: 'on-failure'; readonly record: OnFailureRecord }
  | { readonly kind: 'poison-record'; readonly message: ReceivedPoisonRecordMessage }
  /** The S3 on-failure destination wrote these objects (each holds a failed batch with its records). */
  | { readonly kind: 's3-notification'; readonly objects: readonly NotifiedObject[] }
  /** Sent by S3 when the notification is configured: acknowledged, nothing to archive. */
  | { readonly kind: 's3-test-event' }
  | { readonly kind: 'unparseable'; readonly reason: string };

/** The SQS facts of one message the handler archives. */
export interface MessageEnvelope {
  readonly messageId: string;
  readonly body: string;
  /** SHA-256 of the body. */
  readonly digest: string;
  /** When SQS received the message (from `SentTimestamp`), if known. */
  readonly sentAt: Date | undefined;
  readonly queueArn: string | undefined;
}

/** What happened to one message. */
export interface MessageOutcome {
  readonly key: string;
  /** `ignored`: an S3 test event, acknowledged without an archive. */
  readonly kind: 'stream-batch' | 'lost-range' | 'poison-record' | 'unparseable' | 'ignored';
  readonly written: boolean;
  readonly records: number;
}

/** Where the handler's metrics go (Powertools EMF in Lambda, a recorder in tests). */
export interface HandlerMetrics {
  count(name: string, value: number): void;
  milliseconds(name: string, value: number): void;
  publish(): void;
}
