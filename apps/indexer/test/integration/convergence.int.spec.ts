import fc from 'fast-check';
import type { Client } from '@opensearch-project/opensearch';
import { CreateQueueCommand, DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { applyWrites, createOpenSearchClient, ensureIndex, type IntendedWrite, type WriteOutcome } from '@ddb-os/index-writer';
import { documentId, snapshotOrderKey, writeAlias, readAlias } from '@ddb-os/opensearch-mapping';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import {
  lambdaContext,
  lambdaEvent,
  openSearchClient,
  ShardHistory,
  sqsClient,
  stackEndpoints,
  testRouting,
  uniqueName,
} from '@ddb-os/testing';
import {
  createDeadLetterSender,
  createOpenSearchIndex,
  handleStreamBatch,
  loadIndexingConfig,
  type IndexPort,
  type OutcomeLookup,
} from '@ddb-os/indexing-core';
import { silentLogger } from '@ddb-os/lambda-runtime';

/**
 * Property: whatever the interleaving of batches, partial failures (before or after the write
 * reached OpenSearch), re-deliveries and concurrent table-read writers (replay/backfill), every
 * document converges to the table's final state and deleted items stay deleted.
 * Replay a failure with PROPERTY_SEED=<seed printed below>.
 */
const KEYS = ['k0', 'k1', 'k2', 'k3'];
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 20);
const SEED = Number(process.env['PROPERTY_SEED'] ?? Date.now() % 2_147_483_647);
const SAFETY_SECONDS = 2;
const START_MS = 1_790_000_000_000;

type Operation = { kind: 'put' | 'delete'; key: number; price: number; advanceMs: number };
type Fault = 'ok' | 'fail-before-write' | 'fail-after-write';

const operationArb = fc.record({
  kind: fc.constantFrom<'put' | 'delete'>('put', 'put', 'delete'),
  key: fc.nat({ max: KEYS.length - 1 }),
  price: fc.nat({ max: 1_000 }),
  advanceMs: fc.oneof(fc.constant(0), fc.nat({ max: 400 }), fc.nat({ max: 2_500 })),
});

const scenarioArb = fc.record({
  operations: fc.array(operationArb, { minLength: 1, maxLength: 30 }),
  batchSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 10 }),
  faults: fc.array(fc.constantFrom<Fault>('ok', 'ok', 'ok', 'fail-before-write', 'fail-after-write'), { minLength: 1, maxLength: 20 }),
  rewinds: fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 10 }),
  /** After which operation a loader reads the table, and after how many deliveries its write lands. */
  loaders: fc.array(fc.record({ afterOperation: fc.nat(), landsAfterDelivery: fc.nat({ max: 12 }), concurrent: fc.boolean() }), {
    maxLength: 4,
  }),
  /**
   * Per delivery, whether it runs in a new container (a new client: no versions remembered), so that writes planned
   * without a read (creates expecting no document) meet documents the container has never seen.
   */
  newContainers: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

describe('convergence of the index to the table (property-based, real OpenSearch)', () => {
  let openSearch: Client;
  let sqs: SQSClient;
  let dlqUrl: string;

  beforeAll(async () => {
    openSearch = openSearchClient();
    sqs = sqsClient();
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('convergence-dlq') }))).QueueUrl ?? '';
    process.stdout.write(`convergence property: seed ${SEED}, ${RUNS} runs (replay with PROPERTY_SEED=${SEED})\n`);
  });

  afterAll(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
    await openSearch.close();
    sqs.destroy();
  });

  it('every document equals the final table state, deleted keys are absent from search', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const index = uniqueName('converge');
        try {
          await runScenario(index, scenario);
          await expectIndexEqualsTable(index, finalTable(scenario.operations));
        } finally {
          await openSearch.indices.delete({ index: `${index}-*`, ignore_unavailable: true });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 600_000);

  async function runScenario(index: string, scenario: Scenario): Promise<void> {
    const config = loadIndexingConfig(testRouting({ routes: [{ index, match: { always: true } }] }), {
      OPENSEARCH_NODE: stackEndpoints().opensearch,
      DLQ_URL: dlqUrl,
      RETRY_MAX_ATTEMPTS: '3',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
    });
    const client = createOpenSearchClient({ node: config.openSearch.node });
    const clients = [client];
    // Every writer bootstraps the index before writing (the indexer on first use, replay/backfill up front).
    await ensureIndex(client, { index, mappings: config.shapes.mappingsOf(index) });
    let realPort = createOpenSearchIndex(client, config);
    // Loaders are other processes with their own client: the versions the indexer remembers go out of date under it.
    const loaderClient = createOpenSearchClient({ node: config.openSearch.node });
    const faults = cycle(scenario.faults);
    const flakyPort: IndexPort = { write: (writes, msLeft) => writeWithFaults(realPort, faults, writes, msLeft) };
    const deps = {
      config,
      index: flakyPort,
      deadLetter: createDeadLetterSender(async () => sqs, dlqUrl, 256 * 1024),
      logger: silentLogger,
    };

    const { records, snapshots } = recordHistory(scenario);
    const pendingLoaders = scenario.loaders
      .map((loader) => ({ ...loader, snapshot: snapshots[loader.afterOperation % snapshots.length] }))
      .filter((loader): loader is typeof loader & { snapshot: Snapshot } => loader.snapshot !== undefined);
    const batchSizes = cycle(scenario.batchSizes);
    const newContainers = cycle(scenario.newContainers);
    const rewinds = cycle(scenario.rewinds);

    let checkpoint = 0;
    let deliveries = 0;
    // Faulty phase, then a clean phase that lets Lambda's retries drain the shard.
    while (checkpoint < records.length && deliveries < 200) {
      const clean = deliveries >= 60;
      const batch = records.slice(checkpoint, checkpoint + batchSizes());
      if (newContainers()) {
        const fresh = createOpenSearchClient({ node: config.openSearch.node });
        clients.push(fresh);
        realPort = createOpenSearchIndex(fresh, config);
      }
      const landing = pendingLoaders.filter((loader) => loader.landsAfterDelivery <= deliveries);
      for (const loader of landing) pendingLoaders.splice(pendingLoaders.indexOf(loader), 1);
      const deliver = () => handleStreamBatch(lambdaEvent(batch), lambdaContext(), clean ? { ...deps, index: realPort } : deps);
      const concurrent = landing.filter((loader) => loader.concurrent);
      for (const loader of landing.filter((l) => !l.concurrent)) await writeSnapshot(loaderClient, index, loader.snapshot);
      const [response] = await Promise.all([deliver(), ...concurrent.map((loader) => writeSnapshot(loaderClient, index, loader.snapshot))]);
      checkpoint = nextCheckpoint(
        records.map((record) => record.dynamodb?.SequenceNumber ?? ''),
        checkpoint,
        batch.length,
        response as DynamoDBBatchResponse,
      );
      // Lambda may re-deliver records it already handed over (restarts, bisection): rewind a little.
      if (!clean) checkpoint = Math.max(0, checkpoint - rewinds());
      deliveries += 1;
    }
    for (const loader of pendingLoaders) await writeSnapshot(loaderClient, index, loader.snapshot);
    expect(checkpoint).toBe(records.length);
    await Promise.all(clients.map((each) => each.close()));
    await loaderClient.close();
  }

  async function expectIndexEqualsTable(index: string, table: Map<string, Record<string, unknown>>): Promise<void> {
    const ids = KEYS.map((key) => documentId({ pk: key, sk: 'ITEM' }, ['pk', 'sk']));
    const stored = await openSearch.mget({ index: writeAlias(index), body: { ids } });
    KEYS.forEach((key, position) => {
      const doc = stored.body.docs[position] as { found?: boolean; _source?: Record<string, unknown> };
      const expected = table.get(key);
      const source = doc.found ? doc._source : undefined;
      const sync = source?.['ddbSync'] as { deleted?: boolean } | undefined;
      if (expected) {
        const { ddbSync: _sync, ddbKeys: _keys, ...item } = source ?? {};
        expect({ key, item }).toEqual({ key, item: expected });
      } else {
        expect({ key, deleted: !source || sync?.deleted === true }).toEqual({ key, deleted: true });
      }
    });
    await openSearch.indices.refresh({ index: readAlias(index) });
    const visible = await openSearch.count({ index: readAlias(index) });
    expect(visible.body.count).toBe(table.size);
  }
});

interface Snapshot {
  readonly readAtMs: number;
  readonly state: ReadonlyMap<string, Record<string, unknown>>;
}

/** Plays the operations against a model table, recording the stream and the table state after each operation. */
function recordHistory(scenario: Scenario): { records: ReturnType<ShardHistory['put']>[]; snapshots: Snapshot[] } {
  const shard = new ShardHistory(['pk', 'sk']);
  const snapshots: Snapshot[] = [];
  let nowMs = START_MS;
  for (const operation of scenario.operations) {
    nowMs += operation.advanceMs;
    shard.second = Math.floor(nowMs / 1000);
    const key = KEYS[operation.key] ?? 'k0';
    if (operation.kind === 'put') shard.put(item(key, operation.price));
    else shard.remove({ pk: key, sk: 'ITEM' });
    // The loader's clock reads just after the operation and before the next one.
    snapshots.push({ readAtMs: nowMs, state: new Map([...shard.state()].map(([, value]) => [String(value['pk']), value])) });
  }
  return { records: shard.records.filter(Boolean), snapshots };
}

function finalTable(operations: readonly Operation[]): Map<string, Record<string, unknown>> {
  const table = new Map<string, Record<string, unknown>>();
  for (const operation of operations) {
    const key = KEYS[operation.key] ?? 'k0';
    if (operation.kind === 'put') table.set(key, item(key, operation.price));
    else table.delete(key);
  }
  return table;
}

const item = (key: string, price: number) => ({ pk: key, sk: 'ITEM', entityType: 'thing', price, name: `${key} at ${price}` });

/** A table-read writer (replay/backfill/repair): the state at its read time, keyed by that time. */
async function writeSnapshot(client: Client, index: string, snapshot: Snapshot): Promise<void> {
  const writes: IntendedWrite[] = KEYS.map((key) => {
    const current = snapshot.state.get(key);
    const keys = { pk: key, sk: 'ITEM' };
    return {
      index,
      id: documentId(keys, ['pk', 'sk']),
      order: snapshotOrderKey(snapshot.readAtMs, current as IntendedWrite['document'], { safetySeconds: SAFETY_SECONDS }),
      document: current as IntendedWrite['document'],
      keys,
      meta: { source: 'replay' },
    };
  });
  await applyWrites(client, writes, { maxBulkBytes: 5 * 1024 * 1024, retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 } });
}

/** Injects failures around the real writes: before the write (nothing stored) or after it (stored, but reported failed). */
async function writeWithFaults(
  real: IndexPort,
  nextFault: () => Fault,
  writes: Parameters<IndexPort['write']>[0],
  msLeft: () => number,
): Promise<OutcomeLookup> {
  // One index in this test: the document id names the write.
  const faults = new Map(writes.map((write) => [write.id, nextFault()]));
  const sent = writes.filter((write) => faults.get(write.id) !== 'fail-before-write');
  const outcomes = sent.length > 0 ? await real.write(sent, msLeft) : undefined;
  const outcomeOf = (write: { readonly index: string; readonly id: string }): WriteOutcome => {
    const fault = faults.get(write.id);
    if (fault === 'fail-before-write') return { status: 'retryable', reason: 'injected before write' };
    if (fault === 'fail-after-write') return { status: 'retryable', reason: 'injected after write' };
    return outcomes?.of(write) ?? { status: 'retryable', reason: 'missing outcome' };
  };
  return { of: outcomeOf };
}

/** Lambda's checkpointing: resume at the reported failure, else after the batch. */
function nextCheckpoint(
  sequenceNumbers: readonly string[],
  checkpoint: number,
  batchLength: number,
  response: DynamoDBBatchResponse,
): number {
  const failure = response.batchItemFailures[0]?.itemIdentifier;
  if (failure === undefined) return checkpoint + batchLength;
  const position = sequenceNumbers.indexOf(failure);
  if (position < checkpoint || position >= checkpoint + batchLength) throw new Error(`reported ${failure}, outside the batch`);
  return position;
}

function cycle<T>(values: readonly T[]): () => T {
  let position = 0;
  return () => values[position++ % values.length] as T;
}
