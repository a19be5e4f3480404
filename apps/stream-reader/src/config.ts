import { syncOfEnvironment, tableKeyAttributesOf } from '@ddb-os/indexing-core';
import { envHttpUrl, envRegion, envSqsMessageBytes, parseEnvironment, staticCredentialsFrom, whenParsed } from '@ddb-os/sync-config';
import type { Syncs } from '@ddb-os/sync-definition';
import { z } from 'zod';
import { InvalidStreamReaderConfigError } from './errors';
import type { StreamReaderConfig } from './types';
import { SYNC_ENV } from '@ddb-os/sync-contracts';

const readerEnvironment = z
  .object({
    BUFFER_QUEUE_URL: envHttpUrl('the SQS FIFO buffer queue', 'http://127.0.0.1:9324/000000000000/buffer.fifo').optional(),
    [SYNC_ENV.bufferTopicArn]: z
      .string()
      .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+\.fifo$/, 'must be the ARN of an SNS FIFO topic (name ending in .fifo)')
      .optional(),
    [SYNC_ENV.deadLetterQueueUrl]: envHttpUrl(
      'the SQS dead-letter queue for records that cannot be buffered',
      'http://127.0.0.1:9324/000000000000/stream-reader-dlq',
    ),
    DLQ_MAX_MESSAGE_BYTES: envSqsMessageBytes(256 * 1024),
    BUFFER_MAX_MESSAGE_BYTES: envSqsMessageBytes(256 * 1024),
    SQS_ENDPOINT: envHttpUrl('the SQS endpoint', 'http://127.0.0.1:9324').optional(),
    SNS_ENDPOINT: envHttpUrl('the SNS endpoint', 'http://127.0.0.1:8000').optional(),
    AWS_REGION: envRegion,
  })
  .refine((e) => (e.BUFFER_QUEUE_URL === undefined) !== (e.BUFFER_TOPIC_ARN === undefined), {
    message: 'set exactly one of BUFFER_QUEUE_URL (SQS FIFO queue) and BUFFER_TOPIC_ARN (SNS FIFO topic)',
    path: ['BUFFER_QUEUE_URL'],
    when: whenParsed('BUFFER_QUEUE_URL', 'BUFFER_TOPIC_ARN'),
  });

/**
 * The stream reader's configuration for the sync `SYNC_NAME` names (the only one, when the definition has one), found
 * as the indexer finds its sync: the message group of a record is its document id, from the table's key attributes
 * (declared by the definition, or read with DescribeTable of `TABLE_NAME`).
 *
 * @example
 * const config = await streamReaderConfigOf(syncs, process.env);
 */
export async function streamReaderConfigOf(syncs: Syncs, env: NodeJS.ProcessEnv): Promise<StreamReaderConfig> {
  const sync = syncOfEnvironment(syncs, env);
  const { keyAttributes } = sync.routingFor(await tableKeyAttributesOf(sync, env));
  return loadStreamReaderConfig(keyAttributes, env);
}

/**
 * Reads and validates the stream reader's variables for the table's key attributes; throws
 * {@link InvalidStreamReaderConfigError} naming every bad variable.
 *
 * @example
 * const config = loadStreamReaderConfig(['pk', 'sk'], { BUFFER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/buffer.fifo', DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq' });
 */
export function loadStreamReaderConfig(keyAttributes: readonly string[], env: NodeJS.ProcessEnv = process.env): StreamReaderConfig {
  const e = parseEnvironment(readerEnvironment, env, 'stream-reader', (_component, issues) => new InvalidStreamReaderConfigError(issues));
  return {
    target: e.BUFFER_TOPIC_ARN ? { kind: 'topic', topicArn: e.BUFFER_TOPIC_ARN } : { kind: 'queue', queueUrl: e.BUFFER_QUEUE_URL ?? '' },
    keyAttributes,
    region: e.AWS_REGION,
    credentials: staticCredentialsFrom(env),
    sqsEndpoint: e.SQS_ENDPOINT,
    snsEndpoint: e.SNS_ENDPOINT,
    deadLetter: { queueUrl: e.DLQ_URL, maxMessageBytes: e.DLQ_MAX_MESSAGE_BYTES },
    maxMessageBytes: e.BUFFER_MAX_MESSAGE_BYTES,
  };
}
