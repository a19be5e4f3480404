import { envKeyAttributes, envPositiveInt, parseEnvironment } from '@ddb-os/sync-config';
import { z } from 'zod';
import { InvalidStreamReaderConfigError } from './errors';
import type { StreamReaderConfig } from './types';

const MAX_BUFFER_MESSAGE_BYTES = 256 * 1024;

const readerEnvironment = z
  .object({
    BUFFER_QUEUE_URL: z.url({ message: 'must be the URL of the SQS FIFO buffer queue' }).optional(),
    BUFFER_TOPIC_ARN: z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+\.fifo$/, 'must be the ARN of an SNS FIFO topic (name ending in .fifo)').optional(),
    KEY_ATTRIBUTES: envKeyAttributes,
    DLQ_URL: z.url({ message: 'must be the URL of the SQS dead-letter queue for records that cannot be buffered' }),
    DLQ_MAX_MESSAGE_BYTES: envPositiveInt(256 * 1024),
    BUFFER_MAX_MESSAGE_BYTES: envPositiveInt(MAX_BUFFER_MESSAGE_BYTES).pipe(z.number().max(1024 * 1024, 'must be at most 1048576 (the SQS limit)')),
    SQS_ENDPOINT: z.url().optional(),
    SNS_ENDPOINT: z.url().optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
  })
  .refine((e) => (e.BUFFER_QUEUE_URL === undefined) !== (e.BUFFER_TOPIC_ARN === undefined), {
    message: 'set exactly one of BUFFER_QUEUE_URL (SQS FIFO queue) and BUFFER_TOPIC_ARN (SNS FIFO topic)',
    path: ['BUFFER_QUEUE_URL'],
  });

/**
 * Reads and validates the stream reader's configuration; throws {@link InvalidStreamReaderConfigError}
 * naming every bad variable.
 *
 * @example
 * const config = loadStreamReaderConfig({ BUFFER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/buffer.fifo', KEY_ATTRIBUTES: 'pk,sk', DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq' });
 */
export function loadStreamReaderConfig(env: NodeJS.ProcessEnv = process.env): StreamReaderConfig {
  const e = parseEnvironment(readerEnvironment, env, 'stream-reader', (_component, issues) => new InvalidStreamReaderConfigError(issues));
  return {
    target: e.BUFFER_TOPIC_ARN ? { kind: 'topic', topicArn: e.BUFFER_TOPIC_ARN } : { kind: 'queue', queueUrl: e.BUFFER_QUEUE_URL ?? '' },
    keyAttributes: e.KEY_ATTRIBUTES,
    region: e.AWS_REGION,
    sqsEndpoint: e.SQS_ENDPOINT,
    snsEndpoint: e.SNS_ENDPOINT,
    deadLetter: { queueUrl: e.DLQ_URL, maxMessageBytes: e.DLQ_MAX_MESSAGE_BYTES },
    maxMessageBytes: e.BUFFER_MAX_MESSAGE_BYTES,
  };
}
