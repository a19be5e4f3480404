import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createQueueBatchHandler } from '@ddb-os/indexing-core';
import { documentId } from '@ddb-os/opensearch-mapping';
import { lambdaContext, lambdaRecord, openSearchClient, sqsClient, stackEndpoints, uniqueName, waitFor } from '@ddb-os/testing';
import { bufferedProductSyncs, productItem, sqsEvent } from '../helpers/factories';
import { QueuePoller } from '../helpers/queue-poller';
import { createBufferQueues, deleteBufferQueues, receiveJson, type BufferQueues } from '../helpers/stack';

jest.setTimeout(120_000);

describe('buffer redrive: a change that keeps failing moves to the buffer DLQ, and redriving it later is harmless', () => {
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const products = uniqueName('redrive-products');
  let queues: BufferQueues;

  /** A writer for the local stack, or for an OpenSearch that refuses connections. */
  const writerFor = (node: string) => {
    const endpoints = stackEndpoints();
    return createQueueBatchHandler(bufferedProductSyncs(products), {
      OPENSEARCH_NODE: node,
      DLQ_URL: queues.poisonUrl,
      SQS_ENDPOINT: endpoints.sqs,
      AWS_REGION: endpoints.region,
      RETRY_MAX_ATTEMPTS: '2',
      RETRY_BASE_DELAY_MS: '10',
      RETRY_MAX_DELAY_MS: '20',
      OPENSEARCH_REQUEST_TIMEOUT_MS: '10000',
      METRICS_ENABLED: 'false',
    });
  };

  beforeAll(async () => {
    queues = await createBufferQueues(sqs, 'redrive');
  });

  afterAll(async () => {
    await deleteBufferQueues(sqs, queues);
    await openSearch.indices.delete({ index: `${products}-*`, ignore_unavailable: true });
    await openSearch.close();
    sqs.destroy();
  });

  it('redrives after maxReceiveCount failed receives with the full record, which then indexes normally', async () => {
    // given: OpenSearch unreachable for the writer, and one buffered change
    const record = lambdaRecord({
      eventName: 'INSERT',
      keys: { pk: 'PRODUCT#r1', sk: 'PRODUCT' },
      newItem: productItem('r1'),
      sequenceNumber: 500n,
      second: 1_790_000_000,
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.bufferUrl,
        MessageBody: JSON.stringify(record),
        MessageGroupId: 'g',
        MessageDeduplicationId: record.eventID,
      }),
    );
    const failing = new QueuePoller({
      sqs,
      queueUrl: queues.bufferUrl,
      queueArn: queues.bufferArn,
      handler: writerFor('http://127.0.0.1:9'),
      maxReceiveCount: 2,
      redriveQueueUrl: queues.redriveUrl,
      retryDelaySeconds: 1,
    });

    // when
    failing.start();
    await waitFor(() => failing.stats.redriven === 1, { timeoutMs: 60_000, intervalMs: 200, description: 'the message to be redriven' });
    await failing.stop();

    // then: delivered twice, reported failed twice, then moved with its whole body
    expect(failing.stats).toMatchObject({ invocations: 2, failed: 2, deleted: 0, redriven: 1 });
    const [parked] = await receiveJson(sqs, queues.redriveUrl);
    expect(parked).toEqual(JSON.parse(JSON.stringify(record)));

    // when: the operator redrives it to a healthy writer, twice (a duplicate redrive)
    const healthy = writerFor(stackEndpoints().opensearch);
    const first = await healthy(sqsEvent([JSON.stringify(parked)]), lambdaContext());
    const again = await healthy(sqsEvent([JSON.stringify(parked)]), lambdaContext());

    // then: indexed once, the duplicate is a harmless stale skip
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const stored = await openSearch.get({ index: `${products}-write`, id: documentId({ pk: 'PRODUCT#r1', sk: 'PRODUCT' }, ['pk', 'sk']) });
    expect(stored.body._source).toMatchObject({ productId: 'r1', price: 25 });
    expect(stored.body._version).toBe(1);
  });
});
