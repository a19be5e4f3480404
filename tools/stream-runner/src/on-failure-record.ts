import { createdAtMs, sequenceNumberOf } from './sequence';
import { functionArnFor } from './stream-arn';
import type { OnFailureCondition, OnFailureRecord, StreamRecord } from './types';

export interface OnFailureRecordInput {
  readonly streamArn: string;
  readonly shardId: string;
  readonly functionName: string;
  readonly condition: OnFailureCondition;
  /** awsRequestId of the last invocation of these records (a fresh id when they were never invoked). */
  readonly requestId: string;
  readonly approximateInvokeCount: number;
  /** `Unhandled` when the last invocation threw or timed out. */
  readonly functionError: string | undefined;
  /** The discarded records, in shard order; at least one. */
  readonly records: readonly StreamRecord[];
  readonly now: Date;
}

/** ISO-8601 without milliseconds, as Lambda writes approximate arrival times. */
const isoSeconds = (epochMs: number | undefined): string =>
  epochMs === undefined ? '' : new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Builds the record Lambda sends to an SQS/SNS on-failure destination: metadata only, no items.
 * @example buildOnFailureRecord({ ...input, records }).DDBStreamBatchInfo.batchSize // records.length
 */
export function buildOnFailureRecord(input: OnFailureRecordInput): OnFailureRecord {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('An on-failure record needs at least one stream record');
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: functionArnFor(input.streamArn, input.functionName),
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(input.functionError === undefined ? {} : { functionError: input.functionError }),
    },
    version: '1.0',
    timestamp: input.now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: sequenceNumberOf(first),
      endSequenceNumber: sequenceNumberOf(last),
      approximateArrivalOfFirstRecord: isoSeconds(createdAtMs(first)),
      approximateArrivalOfLastRecord: isoSeconds(createdAtMs(last)),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}
