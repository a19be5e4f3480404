import { SEQUENCE_NUMBER_PATTERN } from '@ddb-os/stream-decoding';
import { z } from 'zod';

/** What was cut from a dead-letter message to fit the queue, in order. */
export type TruncatedPart = 'images' | 'reason' | 'record';

/**
 * What a function parks in the dead-letter queue (`DLQ_URL`) for a record it cannot index or buffer: the full
 * stream record and why. The senders (indexer, writer, stream reader) build it; the failure handler reads it with
 * {@link poisonRecordMessageSchema}; the CDK construct wires the queue between them.
 */
export interface PoisonRecordMessage {
  readonly kind: 'poison-record';
  readonly reason: string;
  readonly failedAt: string;
  readonly table: string | undefined;
  readonly streamArn: string | undefined;
  readonly sequenceNumber: string | undefined;
  /**
   * The stream record exactly as Lambda delivered it (or the text of a buffer message that was not one), unless
   * the message would exceed the queue's size limit: then its images are dropped, and if that is not enough it is
   * cut down to its keys, sequence number and event fields (see `truncatedParts`).
   */
  readonly record: unknown;
  /** True when parts were cut to fit the queue; replay re-reads the item from the table either way. */
  readonly truncated?: boolean;
  /** What was cut, in order: `images`, `reason` (shortened, with a marker), `record` (reduced to keys and event fields). */
  readonly truncatedParts?: readonly TruncatedPart[];
}

/**
 * The dead-letter message as its reader (the failure handler) validates it: the one definition of the contract,
 * checked against what the senders produce (`libs/indexing-core/test/unit/dead-letter.spec.ts`).
 *
 * @example
 * const message = poisonRecordMessageSchema.parse(JSON.parse(sqsRecord.body));
 */
export const poisonRecordMessageSchema = z.looseObject({
  kind: z.literal('poison-record'),
  reason: z.string().min(1, 'must say why the record is poison'),
  failedAt: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO-8601 timestamp'),
  table: z.string().min(1).nullish(),
  streamArn: z.string().nullish(),
  sequenceNumber: z.string().regex(SEQUENCE_NUMBER_PATTERN, 'must be a decimal sequence number (1-40 digits)').nullish(),
  record: z.union([z.looseObject({}), z.string()], {
    error: 'must be the stream record (an object), or the text of a buffer message that was not one',
  }),
  truncated: z.boolean().optional(),
  truncatedParts: z.array(z.enum(['images', 'reason', 'record'])).optional(),
});

/** A dead-letter message as read back and validated by {@link poisonRecordMessageSchema}. */
export type ReceivedPoisonRecordMessage = z.infer<typeof poisonRecordMessageSchema>;
