import type { SQSClient } from '@aws-sdk/client-sqs';
import { jsonLogger, SqsEventSource, type SqsBatchHandler, type SqsEventSourceCounters } from '@ddb-os/stream-runner';

/** The failure handler's Lambda signature (SQS event source with ReportBatchItemFailures). */
export type SqsHandler = SqsBatchHandler;

/** What a drain did so far: `succeeded` counts the messages the failure handler archived. */
export type DrainCounters = SqsEventSourceCounters;

/** Short enough that a message the failure handler could not archive comes back within the chaos run's drain. */
const CHAOS_QUEUE_SETTINGS = {
  visibilityTimeoutSeconds: 5,
  redelivery: { maxAttempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 1_000, maxDelayMs: 5_000 },
} as const;

/**
 * Lambda's SQS event source (the stream runner's local one) on one of the chaos run's failure queues, with the
 * run's short redelivery delays; a handler that throws is logged on stderr.
 *
 * @example
 * const dlq = new QueueDrain(sqs, resources.dlq.url, resources.dlq.arn, failureHandler);
 * await dlq.once();
 */
export class QueueDrain extends SqsEventSource {
  constructor(sqs: SQSClient, queueUrl: string, queueArn: string, handler: SqsHandler) {
    super({ sqs, queueUrl, queueArn, handler, ...CHAOS_QUEUE_SETTINGS, logger: jsonLogger(process.stderr, 'error') });
  }
}
