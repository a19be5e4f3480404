import { CreateQueueCommand, DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@opensearch-project/opensearch';
import { BenchError } from './errors';

/**
 * Creates an SQS queue and returns its URL.
 *
 * @example
 * const dlqUrl = await createQueue(sqsClient(), uniqueName('bench-dlq'));
 */
export async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new BenchError(`SQS did not return a URL for queue ${name}`);
  return QueueUrl;
}

/** Deletes a queue; one that is already gone is fine. */
export async function deleteQueue(sqs: SQSClient, url: string): Promise<void> {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
}

/** Deletes the physical indexes (`<base>-v<n>`, with their aliases) of a base name, to leave the shared cluster as it was. */
export async function deleteIndexes(client: Client, base: string): Promise<void> {
  await client.indices.delete({ index: `${base}-v*` }).catch(() => undefined);
}

/**
 * `host:port` of an endpoint URL, as it appears in the Host header of requests to it.
 *
 * @example
 * hostAndPort('http://127.0.0.1:9200'); // '127.0.0.1:9200'
 */
export function hostAndPort(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
}
