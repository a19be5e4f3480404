import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Client } from '@opensearch-project/opensearch';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { uniqueName } from '@ddb-os/testing';

export interface BufferQueues {
  /** The FIFO buffer between the stream reader and the writer. */
  readonly bufferUrl: string;
  readonly bufferArn: string;
  /** Where the buffer moves messages after too many receives (a FIFO queue's DLQ must be FIFO). */
  readonly redriveUrl: string;
  /** The poison-record DLQ shared with direct mode (`DLQ_URL`). */
  readonly poisonUrl: string;
}

/** Creates the three queues of one test on ElasticMQ. */
export async function createBufferQueues(sqs: SQSClient, prefix: string): Promise<BufferQueues> {
  const name = uniqueName(prefix);
  const fifo = { FifoQueue: 'true', ContentBasedDeduplication: 'false' };
  const bufferUrl =
    (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-buffer.fifo`, Attributes: { ...fifo, VisibilityTimeout: '30' } })))
      .QueueUrl ?? '';
  const redriveUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-redrive.fifo`, Attributes: fifo }))).QueueUrl ?? '';
  const poisonUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl ?? '';
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: bufferUrl, AttributeNames: ['QueueArn'] }));
  return { bufferUrl, bufferArn: attributes.Attributes?.['QueueArn'] ?? '', redriveUrl, poisonUrl };
}

export async function deleteBufferQueues(sqs: SQSClient, queues: BufferQueues): Promise<void> {
  for (const url of [queues.bufferUrl, queues.redriveUrl, queues.poisonUrl]) await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
}

/** Receives (and leaves in flight) up to ten messages, bodies parsed as JSON. */
export async function receiveJson(sqs: SQSClient, queueUrl: string): Promise<JsonObject[]> {
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return (received.Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}') as JsonObject);
}

/** Documents of the read alias (tombstones hidden), by `_id`, after a refresh. */
export async function liveDocuments(openSearch: Client, index: string): Promise<Map<string, JsonObject>> {
  const exists = await openSearch.indices.exists({ index });
  if (!exists.body) return new Map();
  await openSearch.indices.refresh({ index: `${index}-write` });
  const response = await openSearch.search({ index, size: 1000, body: { query: { match_all: {} } } });
  return new Map(response.body.hits.hits.map((hit) => [String(hit._id), hit._source as JsonObject]));
}
