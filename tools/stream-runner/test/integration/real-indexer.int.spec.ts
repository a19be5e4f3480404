import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { physicalIndexName } from '@ddb-os/opensearch-mapping';
import { defineSyncs } from '@ddb-os/sync-definition';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  openSearchClient,
  sqsClient,
  stackEndpoints,
  testSyncDefinition,
  uniqueName,
  waitFor,
} from '@ddb-os/testing';
import { defaultSqsDestination } from '../../src/aws-clients';
import { CheckpointStore } from '../../src/checkpoint-store';
import type { StreamRunner } from '../../src/stream-runner';
import type { BatchResultEvent } from '../../src/types';
import { fastRunner, tempCheckpointFile } from '../helpers/runner';

jest.setTimeout(60_000);

/** The definition of one sync indexing every item of a pk,sk table into `index`. */
const catchAll = (index: string) => defineSyncs({ syncs: [testSyncDefinition({ routes: [{ index, match: { always: true } }] })] });

const QUICK = { pollIntervalMs: 25, idlePollMaxMs: 100, describeIntervalMs: 500, retryBaseDelayMs: 10, retryMaxDelayMs: 50 } as const;

/**
 * The real indexer handler (the factory `apps/indexer` exports) on a real stream (moto), queues (ElasticMQ) and
 * OpenSearch. With a retry configuration that cannot work, the runner must hold the records, not retry them
 * away, and index them once the configuration is fixed; an index deleted by hand is re-created by the next batch.
 */
describe('StreamRunner with the real indexer', () => {
  const dynamo = dynamoClient();
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const table = uniqueName('runner-config');
  const index = uniqueName('runner-config');
  const queues: string[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  let runner: StreamRunner | undefined;

  afterAll(async () => {
    await runner?.stop();
    for (const cleanup of cleanups.reverse()) await cleanup();
    await deleteTable(dynamo, table);
    await Promise.all(queues.map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl }))));
    await openSearch.indices.delete({ index: physicalIndexName(index, 1), ignore_unavailable: true });
    await openSearch.close();
  });

  const newQueue = async (prefix: string): Promise<string> => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(prefix) }))).QueueUrl ?? '';
    queues.push(queueUrl);
    return queueUrl;
  };

  it('holds the batch (no checkpoint, no on-failure record) and names the variable, then indexes it once the configuration loads', async () => {
    // given a base delay above the max delay, and a runner that would give a failing batch up after one retry
    const streamArn = await createStreamTable(dynamo, table);
    const onFailureQueue = await newQueue('runner-config-on-failure');
    const env: NodeJS.ProcessEnv = {
      OPENSEARCH_NODE: stackEndpoints().opensearch,
      DLQ_URL: await newQueue('runner-config-dlq'),
      SQS_ENDPOINT: stackEndpoints().sqs,
      RETRY_BASE_DELAY_MS: '5000',
      RETRY_MAX_DELAY_MS: '100',
    };
    const handler = createStreamBatchHandler(catchAll(index), env);
    const checkpointFile = await tempCheckpointFile();
    const results: BatchResultEvent[] = [];
    runner = fastRunner({
      ...QUICK,
      handler,
      tableName: table,
      maxRetryAttempts: 1,
      bisectBatchOnError: true,
      onFailure: defaultSqsDestination(onFailureQueue),
      checkpointFile,
    });
    runner.on('batch', (result) => results.push(result));
    for (const sk of ['A', 'B'])
      await dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'product-1' }, sk: { S: sk }, name: { S: sk } } }));

    // when
    await runner.start();
    await waitFor(() => results.length >= 5, { timeoutMs: 20_000, description: 'more invocations than one retry allows' });

    // then
    const shard = runner.status().shards[0];
    expect(shard).toMatchObject({ state: 'holding', checkpoint: undefined, recordsDiscarded: 0 });
    expect(shard?.lastError).toMatch(/RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS/);
    expect(results.every((result) => result.outcome === 'failure' && result.size === 2 && result.checkpoint === undefined)).toBe(true);
    const onFailure = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: onFailureQueue,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(onFailure.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    expect((await CheckpointStore.open(checkpointFile)).get(streamArn, shard?.shardId ?? '')).toBeUndefined();

    // when the configuration is fixed (the cold start loads it again at the next invocation)
    env['RETRY_BASE_DELAY_MS'] = '50';
    await waitFor(() => runner?.status().shards[0]?.recordsProcessed === 2, { timeoutMs: 20_000, description: 'the held records indexed' });

    // then both records are in the index, and nothing was given up
    await openSearch.indices.refresh({ index });
    const hits = (await openSearch.search({ index, body: { query: { match_all: {} } } })).body.hits.hits as Array<{
      _source: { sk: string };
    }>;
    expect(hits.map((hit) => hit._source.sk).sort()).toEqual(['A', 'B']);
    expect(runner.status().totals).toMatchObject({ recordsDiscarded: 0, onFailureRecordsSent: 0 });
  });

  it('re-creates the index when it was deleted by hand between two batches, and indexes the second batch', async () => {
    // given the indexer wrote a first batch (the index is bootstrapped and known to this process)
    const healTable = uniqueName('runner-heal');
    const healIndex = uniqueName('runner-heal');
    cleanups.push(
      () => deleteTable(dynamo, healTable),
      () => openSearch.indices.delete({ index: physicalIndexName(healIndex, 1), ignore_unavailable: true }).then(() => undefined),
    );
    await createStreamTable(dynamo, healTable);
    const env: NodeJS.ProcessEnv = {
      OPENSEARCH_NODE: stackEndpoints().opensearch,
      DLQ_URL: await newQueue('runner-heal-dlq'),
      SQS_ENDPOINT: stackEndpoints().sqs,
      RETRY_BASE_DELAY_MS: '10',
      RETRY_MAX_DELAY_MS: '50',
    };
    const healer: StreamRunner = fastRunner({
      ...QUICK,
      handler: createStreamBatchHandler(catchAll(healIndex), env),
      tableName: healTable,
      maxRetryAttempts: 0,
      checkpointFile: await tempCheckpointFile(),
    });
    cleanups.push(() => healer.stop());
    await healer.start();
    const put = (sk: string) =>
      dynamo.send(new PutItemCommand({ TableName: healTable, Item: { pk: { S: 'product-1' }, sk: { S: sk }, name: { S: sk } } }));
    await put('A');
    await waitFor(() => healer.status().totals.recordsProcessed === 1, { timeoutMs: 20_000, description: 'the first batch' });

    // when the index is deleted by hand, and the next change comes
    await openSearch.indices.delete({ index: physicalIndexName(healIndex, 1) });
    await put('B');
    await waitFor(() => healer.status().totals.recordsProcessed === 2, { timeoutMs: 20_000, description: 'the second batch' });

    // then the second change is in the re-created index, and nothing was given up
    await openSearch.indices.refresh({ index: healIndex });
    const hits = (await openSearch.search({ index: healIndex, body: { query: { match_all: {} } } })).body.hits.hits as Array<{
      _source: { sk: string };
    }>;
    expect(hits.map((hit) => hit._source.sk)).toEqual(['B']);
    expect(healer.status().totals).toMatchObject({ recordsDiscarded: 0 });
  });
});
