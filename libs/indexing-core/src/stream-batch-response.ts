import { lowestSequenceNumber, sequenceNumberOf } from '@ddb-os/stream-decoding';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import type { LoggerPort } from '@ddb-os/lambda-runtime';

/**
 * Lambda's partial batch response for a DynamoDB Streams batch whose records at `failedPositions` must
 * be delivered again: the earliest of them. Lambda resumes the shard before the lowest reported
 * sequence number and re-sends everything after it, so the earliest failure is sufficient and minimal.
 *
 * @throws the error `unreportable` makes (logged at error) when a failed record has no sequence
 * number: only failing the invocation then keeps it (Lambda retries the batch, then hands it to the
 * on-failure destination).
 *
 * @example
 * const response = streamBatchResponse(event.Records, new Set([3]), logger, (positions) => new UnreportableFailureError(positions));
 */
export function streamBatchResponse(
  records: readonly unknown[],
  failedPositions: Iterable<number>,
  logger: LoggerPort,
  unreportable: (positions: number[]) => Error,
): DynamoDBBatchResponse {
  const failed = [...failedPositions].map((position) => ({ position, sequenceNumber: sequenceNumberOf(records[position]) }));
  const unnumbered = failed.filter((entry) => entry.sequenceNumber === undefined).map((entry) => entry.position);
  if (unnumbered.length > 0) {
    const error = unreportable(unnumbered);
    logger.error(error.message, { positions: unnumbered });
    throw error;
  }
  return { batchItemFailures: earliestFailure(failed.map((entry) => entry.sequenceNumber as string)) };
}

/**
 * The earliest (numerically lowest) sequence number, as the failures of a partial batch response.
 *
 * @example
 * earliestFailure(['200', '1000']); // [{ itemIdentifier: '200' }]
 */
export function earliestFailure(sequenceNumbers: Iterable<string>): { itemIdentifier: string }[] {
  const earliest = lowestSequenceNumber(sequenceNumbers);
  return earliest === undefined ? [] : [{ itemIdentifier: earliest }];
}
