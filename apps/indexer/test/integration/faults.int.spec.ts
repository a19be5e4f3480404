import { CreateQueueCommand, DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@opensearch-project/opensearch';
import { documentId, readAlias } from '@ddb-os/opensearch-mapping';
import {
  type FaultProxy,
  lambdaContext,
  lambdaEvent,
  openSearchClient,
  ShardHistory,
  sqsClient,
  stackEndpoints,
  startFaultProxy,
  testSyncDefinition,
  uniqueName,
} from '@ddb-os/testing';
import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { defineSyncs } from '@ddb-os/sync-definition';

const index = uniqueName('faults');
// The indexer's handler (as apps/indexer/src/main.ts builds it) for a sync with this test's own index.
const handler = createStreamBatchHandler(defineSyncs({ syncs: [testSyncDefinition({ routes: [{ index, match: { always: true } }] })] }));
const item = (id: string, version: number) => ({ pk: `THING#${id}`, sk: 'THING', entityType: 'thing', thingId: id, version });
const idOf = (id: string) => documentId({ pk: `THING#${id}`, sk: 'THING' }, ['pk', 'sk']);

describe('indexer under injected OpenSearch faults (fault proxy in front of the real cluster)', () => {
  let openSearch: Client;
  let sqs: SQSClient;
  let dlqUrl: string;
  let proxy: FaultProxy;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    openSearch = openSearchClient();
    sqs = sqsClient();
    proxy = await startFaultProxy({ target: stackEndpoints().opensearch });
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('faults-dlq') }))).QueueUrl ?? '';
    const endpoints = stackEndpoints();
    Object.assign(process.env, {
      OPENSEARCH_NODE: proxy.url,
      DLQ_URL: dlqUrl,
      SQS_ENDPOINT: endpoints.sqs,
      RETRY_MAX_ATTEMPTS: '4',
      RETRY_BASE_DELAY_MS: '20',
      RETRY_MAX_DELAY_MS: '100',
    });
    handler.reset();
  });

  afterEach(() => proxy.clearRules());

  afterAll(async () => {
    process.env = savedEnv;
    handler.reset();
    await proxy.stop();
    await openSearch.indices.delete({ index: `${index}-*`, ignore_unavailable: true });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
    await openSearch.close();
    sqs.destroy();
  });

  async function versions(): Promise<Record<string, unknown>> {
    await openSearch.indices.refresh({ index: readAlias(index) });
    const response = await openSearch.search({ index: readAlias(index), body: { size: 100, query: { match_all: {} } } });
    return Object.fromEntries(
      response.body.hits.hits.map((hit) => [(hit._source as { thingId: string }).thingId, (hit._source as { version: number }).version]),
    );
  }

  it('retries 429 and 503 item failures inside the invocation until they succeed', async () => {
    // given: the first bulk answers 429 for one item and 503 for another (nothing applied for them)
    const shard = new ShardHistory();
    shard.put(item('a', 1));
    shard.put(item('b', 1));
    shard.put(item('c', 1));
    proxy.addRule({
      match: { path: '/_bulk' },
      fault: { kind: 'bulk-items', status: 429, ids: [idOf('a')], keepInRequest: false },
      times: 1,
    });
    proxy.addRule({
      match: { path: '/_bulk' },
      fault: { kind: 'bulk-items', status: 503, ids: [idOf('b')], keepInRequest: false },
      times: 1,
    });
    const injectedBefore = proxy.counters.injected.bulkItems;

    // when
    const response = await handler(lambdaEvent(shard.records), lambdaContext());

    // then
    expect(proxy.counters.injected.bulkItems).toBeGreaterThan(injectedBefore);
    expect(response.batchItemFailures).toEqual([]);
    expect(await versions()).toMatchObject({ a: 1, b: 1, c: 1 });
  });

  it('retries a whole-request 503 (cluster overloaded) and succeeds', async () => {
    const shard = new ShardHistory();
    shard.put(item('d', 1));
    const rule = proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'status', status: 503 }, times: 2 });
    const response = await handler(lambdaEvent(shard.records), lambdaContext());
    expect(rule.hits).toBe(2);
    expect(response.batchItemFailures).toEqual([]);
    expect(await versions()).toMatchObject({ d: 1 });
  });

  it('returns the earliest record of a persistently failing document, and redelivery from there converges', async () => {
    // given: e, f, e again, g — f keeps failing with 503 while the others are applied
    const shard = new ShardHistory();
    shard.put(item('e', 1));
    const fFirst = shard.put(item('f', 1));
    shard.put(item('e', 2));
    shard.put(item('f', 2));
    shard.put(item('g', 1));
    proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'bulk-items', status: 503, ids: [idOf('f')], keepInRequest: false } });

    // when
    const response = await handler(lambdaEvent(shard.records), lambdaContext());

    // then: Lambda is told to resume at f's first record; e and g are already indexed
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: fFirst.dynamodb?.SequenceNumber }]);
    expect(await versions()).toMatchObject({ e: 2, g: 1 });
    expect((await versions())['f']).toBeUndefined();

    // when: the cluster recovers and Lambda re-sends from f's first record (e and g again, too)
    proxy.clearRules();
    const position = shard.records.indexOf(fFirst);
    const redelivery = await handler(lambdaEvent(shard.records.slice(position)), lambdaContext());

    // then
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(await versions()).toMatchObject({ e: 2, f: 2, g: 1 });
  });

  it('resolves a lost acknowledgement (applied, then reported 503) by re-reading, without redelivery', async () => {
    // given: h is applied by the cluster but every response during this invocation says 503
    const shard = new ShardHistory();
    shard.put(item('h', 1));
    const rule = proxy.addRule({
      match: { path: '/_bulk' },
      fault: { kind: 'bulk-items', status: 503, ids: [idOf('h')], keepInRequest: true },
    });

    // when
    const first = await handler(lambdaEvent(shard.records), lambdaContext());

    // then: the retry re-reads h, finds its own change stored, and is done
    expect(rule.hits).toBeGreaterThanOrEqual(1);
    expect(first.batchItemFailures).toEqual([]);
    expect(await versions()).toMatchObject({ h: 1 });

    // when: the old record is re-sent later together with a newer change
    proxy.clearRules();
    shard.put(item('h', 2));
    const redelivery = await handler(lambdaEvent(shard.records), lambdaContext());

    // then
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(await versions()).toMatchObject({ h: 2 });
  });
});
