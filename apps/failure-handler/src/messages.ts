import { parseJsonText, zodIssuesText } from '@ddb-os/node-io';
import { poisonRecordMessageSchema } from '@ddb-os/sync-contracts';
import { SEQUENCE_NUMBER_PATTERN } from '@ddb-os/stream-decoding';
import { z } from 'zod';
import { parseS3Notification } from './s3-notification';
import type { ParsedFailureMessage } from './types';

const sequenceNumber = z.string().regex(SEQUENCE_NUMBER_PATTERN, 'must be a decimal sequence number (1-40 digits)');
const isoTimestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO-8601 timestamp');
const streamArn = z.string().regex(/^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\/.+$/, 'must be a DynamoDB stream ARN');

/** Lambda's on-failure record for a DynamoDB Streams event source mapping (what SQS/SNS destinations receive). */
export const onFailureRecordSchema = z.looseObject({
  kind: z.literal('on-failure'),
  requestContext: z.looseObject({
    requestId: z.string().optional(),
    functionArn: z.string().optional(),
    condition: z.string().min(1, 'must name why Lambda gave up, e.g. RetryAttemptsExhausted'),
    approximateInvokeCount: z.number().optional(),
  }),
  responseContext: z.looseObject({}).optional(),
  version: z.string().optional(),
  timestamp: isoTimestamp,
  DDBStreamBatchInfo: z
    .looseObject({
      shardId: z
        .string()
        .min(1)
        .regex(/^[^/]+$/, 'must be a shard id'),
      startSequenceNumber: sequenceNumber,
      endSequenceNumber: sequenceNumber,
      approximateArrivalOfFirstRecord: z.string().optional(),
      approximateArrivalOfLastRecord: z.string().optional(),
      batchSize: z.number().int().nonnegative(),
      streamArn,
    })
    .refine(
      (info) =>
        !isDecimal(info.startSequenceNumber, info.endSequenceNumber) || BigInt(info.startSequenceNumber) <= BigInt(info.endSequenceNumber),
      {
        message: 'startSequenceNumber must not be greater than endSequenceNumber',
        path: ['endSequenceNumber'],
      },
    ),
});

const failureMessageSchema = z.discriminatedUnion('kind', [onFailureRecordSchema, poisonRecordMessageSchema]);

export type OnFailureRecord = z.infer<typeof onFailureRecordSchema>;

/**
 * Classifies a queue message body. Never throws: anything that is not a valid on-failure record,
 * poison-record message or S3 notification (of the S3 on-failure destination) comes back as `unparseable` with the reason, to be archived as is.
 *
 * @example
 * const parsed = parseFailureMessage(sqsRecord.body);
 * if (parsed.kind === 'on-failure') console.log(parsed.record.DDBStreamBatchInfo.shardId);
 */
export function parseFailureMessage(body: string): ParsedFailureMessage {
  const text = parseJsonText(body);
  if (!text.ok) return { kind: 'unparseable', reason: `body is ${text.reason}` };
  const json = text.value;
  const s3Message =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? parseS3Notification(json as Record<string, unknown>) : undefined;
  if (s3Message) return s3Message;
  const tagged = withKindTag(json);
  if (tagged === undefined) {
    return {
      kind: 'unparseable',
      reason:
        'neither a Lambda on-failure record (no DDBStreamBatchInfo), a poison-record message (no kind) nor an S3 event notification (no aws:s3 Records)',
    };
  }
  const parsed = failureMessageSchema.safeParse(tagged);
  if (!parsed.success) {
    return { kind: 'unparseable', reason: `invalid ${describeKind(tagged)}: ${zodIssuesText(parsed.error, '(message)')}` };
  }
  return parsed.data.kind === 'on-failure' ? { kind: 'on-failure', record: parsed.data } : { kind: 'poison-record', message: parsed.data };
}

/** Lambda's record carries no discriminator: tag it by its DDBStreamBatchInfo so zod can discriminate. */
function withKindTag(json: unknown): Record<string, unknown> | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const object = json as Record<string, unknown>;
  if ('kind' in object) return object;
  if ('DDBStreamBatchInfo' in object) return { ...object, kind: 'on-failure' };
  return undefined;
}

/** zod still runs object refinements when a field failed: compare only valid numbers. */
function isDecimal(...texts: string[]): boolean {
  return texts.every((text) => /^\d+$/.test(text));
}

function describeKind(tagged: Record<string, unknown>): string {
  return tagged['kind'] === 'on-failure' ? 'on-failure record' : `message of kind ${JSON.stringify(tagged['kind'])}`;
}
