import { z } from 'zod';

const sequenceNumber = z.string().regex(/^\d{1,40}$/, 'must be a decimal sequence number (1-40 digits)');
const isoTimestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO-8601 timestamp');

/**
 * What a function parks in the dead-letter queue (`DLQ_URL`) for a record it cannot index or buffer: the full
 * stream record and why. The senders (indexer, writer, stream reader) and the reader (failure handler) share it.
 *
 * @example
 * const message = poisonRecordMessageSchema.parse(JSON.parse(sqsRecord.body));
 */
export const poisonRecordMessageSchema = z.looseObject({
  kind: z.literal('poison-record'),
  reason: z.string().min(1, 'must say why the record is poison'),
  failedAt: isoTimestamp,
  table: z.string().min(1).nullish(),
  streamArn: z.string().nullish(),
  sequenceNumber: sequenceNumber.nullish(),
  /** The stream record exactly as Lambda delivered it; images are dropped only when the message would exceed SQS's size limit. */
  record: z.looseObject({}, { message: 'must be the stream record (an object)' }),
  /** True when `record` lost its images to fit the queue; replay re-reads the item from the table either way. */
  truncated: z.boolean().optional(),
});

export type PoisonRecordMessage = z.infer<typeof poisonRecordMessageSchema>;
