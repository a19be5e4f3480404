import { messageDigest } from '@ddb-os/failure-archive';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRIC } from './constants';
import { archiveMessage, type ArchiveDependencies } from './archive-message';
import type { MessageEnvelope } from './types';

/** The Lambda handler: SQS event in, partial batch response out. */
export type FailureHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * Builds the SQS handler for the on-failure queue and the indexer's DLQ. Every message is archived
 * or reported in `batchItemFailures` (by SQS message id) so SQS delivers it again: nothing is
 * acknowledged without being in S3.
 *
 * @example
 * export const handler = createFailureHandler({ config, streams, store, logger, metrics, now: () => new Date() });
 */
export function createFailureHandler(deps: ArchiveDependencies): FailureHandler {
  return async (event) => {
    const now = deps.now();
    recordOldestMessageAge(deps, event.Records, now);
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      try {
        const outcome = await archiveMessage(deps, envelopeOf(record));
        if (outcome.kind !== 'ignored')
          deps.logger.info(outcome.written ? 'Archived failure' : 'Already archived (duplicate delivery)', {
            messageId: record.messageId,
            ...outcome,
          });
      } catch (error) {
        deps.metrics.count(METRIC.archiveFailures, 1);
        deps.logger.error('Could not archive message: SQS will deliver it again', { messageId: record.messageId, error: error as Error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    deps.metrics.publish();
    return { batchItemFailures };
  };
}

/**
 * The SQS facts of a message.
 *
 * @example
 * envelopeOf(event.Records[0]).digest;
 */
export function envelopeOf(record: SQSRecord): MessageEnvelope {
  return {
    messageId: record.messageId,
    body: record.body,
    digest: messageDigest(record.body),
    sentAt: epochMillisToDate(record.attributes?.SentTimestamp),
    queueArn: record.eventSourceARN || undefined,
  };
}

function recordOldestMessageAge(deps: ArchiveDependencies, records: readonly SQSRecord[], now: Date): void {
  const sentTimes = records
    .map(
      (record) =>
        epochMillisToDate(record.attributes?.SentTimestamp) ?? epochMillisToDate(record.attributes?.ApproximateFirstReceiveTimestamp),
    )
    .filter((date): date is Date => date !== undefined)
    .map((date) => date.getTime());
  if (sentTimes.length > 0) deps.metrics.milliseconds(METRIC.oldestMessageAge, Math.max(0, now.getTime() - Math.min(...sentTimes)));
}

function epochMillisToDate(text: string | undefined): Date | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return new Date(Number(text));
}
