import path from 'node:path';
import { DeleteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { purgeTombstones } from '@ddb-os/index-writer';
import { documentId, writeAlias } from '@ddb-os/opensearch-mapping';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { silentLogger, StreamRunner, type StreamHandler } from '@ddb-os/stream-runner';
import type { RouteDefinition } from '@ddb-os/sync-definition';
import { dynamoClient, openSearchClient, sqsClient, stackEndpoints, testSync, uniqueName } from '@ddb-os/testing';
import { runCli, type CliStreams } from '../../src/cli';
import { indexerFor, syncEnvironment, syncTarget, tempDir } from '../helpers/factories';
import { verify, type TestClients } from '../helpers/run';
import { createTestStack, destroyTestStack, liveDocuments, type TestStack } from '../helpers/stack';

jest.setTimeout(120_000);

const KEY_ATTRIBUTES = ['pk', 'sk'];

interface PoisonMessage {
  readonly reason: string;
  readonly record: { readonly dynamodb?: { readonly Keys?: { readonly pk?: { readonly S?: string } } } };
}

/** An item of the schema-less catch-all index (dynamic mapping: any attribute is accepted as a field). */
function thing(name: string, extra: JsonObject = {}): JsonObject {
  return { pk: `THING#${name}`, sk: '1', label: `thing ${name}`, ...extra };
}

function idOf(name: string): string {
  return documentId({ pk: `THING#${name}`, sk: '1' }, KEY_ATTRIBUTES);
}

async function put(dynamo: DynamoDBClient, table: string, item: Record<string, AttributeValue>): Promise<void> {
  await dynamo.send(new PutItemCommand({ TableName: table, Item: item }));
}

/** Every poison message of the dead-letter queue, by the `pk` of its record. */
async function drainDeadLetters(sqs: SQSClient, queueUrl: string, into: Map<string, PoisonMessage>): Promise<Map<string, PoisonMessage>> {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 600 }),
    );
    if (Messages.length === 0) return into;
    for (const message of Messages) {
      const body = JSON.parse(message.Body ?? '{}') as PoisonMessage;
      into.set(body.record.dynamodb?.Keys?.pk?.S ?? '?', body);
    }
  }
}

function capture(env: NodeJS.ProcessEnv, routes: readonly RouteDefinition[]): CliStreams & { output: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return {
    out: { write: (text: string) => (out += text) } as unknown as NodeJS.WritableStream,
    err: { write: (text: string) => (err += text), isTTY: false } as unknown as NodeJS.WriteStream,
    env,
    sync: () => testSync({ routes }),
    output: () => ({ out, err }),
  };
}

/**
 * Attribute names that plain-object code or OpenSearch's dotted-name expansion would misread (issue 13, items 1, 3
 * and 11): the stream path (runner + indexer) dead-letters them with a reason and moves on, and verify / --repair
 * report them with their key and reason instead of crashing, calling them clean, or "repairing" false drift.
 */
describe('hostile attribute names against the local stack', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const sqs = sqsClient();
  const savedEnvironment = { ...process.env };
  const deadLetters = new Map<string, PoisonMessage>();
  let stack: TestStack;
  let misc: string;
  let routes: RouteDefinition[];
  let clients: TestClients;
  let queueUrl: string;
  let handler: StreamHandler & { reset?: () => void };
  let runner: StreamRunner;

  beforeAll(async () => {
    stack = await createTestStack(dynamo, 'bf-hostile');
    misc = `${stack.table}-misc`;
    routes = [...stack.routes, { index: misc, match: { always: true } }];
    clients = { dynamo, openSearch, target: syncTarget(routes) };
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('bf-hostile-dlq') }))).QueueUrl ?? '';
    const endpoints = stackEndpoints();
    Object.assign(process.env, syncEnvironment(), {
      DLQ_URL: queueUrl,
      SQS_ENDPOINT: endpoints.sqs,
      AWS_REGION: endpoints.region,
      AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    handler = indexerFor(routes);
    handler.reset?.();
    runner = new StreamRunner({
      handler,
      tableName: stack.table,
      startPosition: 'TRIM_HORIZON',
      batchSize: 100,
      checkpointFile: path.join(await tempDir(), 'stream-checkpoints.json'),
      logger: silentLogger,
      pollIntervalMs: 50,
      idlePollMaxMs: 250,
      describeIntervalMs: 2_000,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 500,
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    handler.reset?.();
    process.env = savedEnvironment;
    await destroyTestStack(dynamo, openSearch, stack);
    await openSearch.indices.delete({ index: `${misc}-*`, ignore_unavailable: true });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    dynamo.destroy();
    sqs.destroy();
    await openSearch.close();
  });

  it('an attribute named __proto__ between two good items: the good ones are indexed, it is dead-lettered naming it, the shard moves on', async () => {
    // given: a good item, an item with a top-level "__proto__" attribute, another good item, in one stream page
    await put(dynamo, stack.table, marshall(thing('before')));
    await put(
      dynamo,
      stack.table,
      JSON.parse('{"pk":{"S":"THING#proto"},"sk":{"S":"1"},"__proto__":{"S":"x"}}') as Record<string, AttributeValue>,
    );
    await put(dynamo, stack.table, marshall(thing('after')));

    // when
    await runner.drained({ timeoutMs: 30_000 });

    // then
    const documents = await liveDocuments(openSearch, misc);
    expect([...documents.keys()].sort()).toEqual([idOf('after'), idOf('before')].sort());
    await drainDeadLetters(sqs, queueUrl, deadLetters);
    expect(deadLetters.get('THING#proto')?.reason).toContain('attribute name "__proto__" (at __proto__) is not supported');
    expect(runner.status().totals.recordsProcessed).toBeGreaterThanOrEqual(3);
  });

  it('attributes impersonating the sync metadata are dead-lettered naming them, and the live document stays live through a purge', async () => {
    // given: items indexed cleanly first
    for (const name of ['hidden', 'keyed', 'collide']) await put(dynamo, stack.table, marshall(thing(name)));
    await runner.drained({ timeoutMs: 30_000 });

    // when: they are changed to carry attributes that OpenSearch would read as metadata fields or colliding paths
    await put(dynamo, stack.table, marshall(thing('hidden', { 'ddbSync.deleted': true, 'ddbSync.indexedAt': '2000-01-01T00:00:00.000Z' })));
    await put(dynamo, stack.table, marshall(thing('keyed', { 'ddbKeys.pk': 'THING#someone-else' })));
    await put(dynamo, stack.table, marshall(thing('collide', { a: { b: 1 }, 'a.b': 2 })));
    await runner.drained({ timeoutMs: 30_000 });
    await openSearch.indices.refresh({ index: writeAlias(misc) });
    const purge = await purgeTombstones(openSearch, misc, { olderThanMs: 24 * 3600 * 1000, allowYoungTombstones: true });

    // then: each change is dead-lettered with a reason naming its attribute
    await drainDeadLetters(sqs, queueUrl, deadLetters);
    expect(deadLetters.get('THING#hidden')?.reason).toContain(
      'attribute "ddbSync.deleted" would be stored inside the sync metadata field ddbSync',
    );
    expect(deadLetters.get('THING#keyed')?.reason).toContain(
      'attribute "ddbKeys.pk" would be stored inside the sync metadata field ddbKeys',
    );
    expect(deadLetters.get('THING#collide')?.reason).toContain('attributes a.b and "a.b" would both be the field a.b');
    // and the documents keep their last good version: visible in the read alias, not purged
    expect(purge.deleted).toBe(0);
    const documents = await liveDocuments(openSearch, misc);
    for (const name of ['hidden', 'keyed', 'collide']) expect(documents.get(idOf(name))).toMatchObject({ label: `thing ${name}` });
    expect(documents.get(idOf('hidden'))).not.toHaveProperty(['ddbSync.deleted']);
  });

  it('verify reports every unindexable item with its key and reason: not clean, no false drift', async () => {
    // when
    const summary = await verify(clients, stack.table);

    // then
    expect(summary.status).toBe('drift');
    expect(summary.drift).toEqual({ missing: 0, different: 0, extra: 0, invalid: 4 });
    const reasons = new Map(summary.invalidItems.map((item) => [item.keys?.['pk'], item.reason]));
    expect(reasons.get('THING#proto')).toContain('"__proto__"');
    expect(reasons.get('THING#hidden')).toContain('attribute "ddbSync.deleted" would be stored inside the sync metadata field ddbSync');
    expect(reasons.get('THING#keyed')).toContain('attribute "ddbKeys.pk" would be stored inside the sync metadata field ddbKeys');
    expect(reasons.get('THING#collide')).toContain('attributes a.b and "a.b" would both be the field a.b');
  });

  it('verify --repair (CLI) reports the unconvertible and unindexable items, repairs the rest, and exits 1 instead of crashing', async () => {
    // given: real drift beside the bad items: a good item's document deleted behind the sync's back
    await openSearch.delete({ index: writeAlias(misc), id: idOf('before'), refresh: true });
    const endpoints = stackEndpoints();
    const streams = capture({ ...syncEnvironment(), DYNAMODB_ENDPOINT: endpoints.dynamodb }, routes);

    // when
    const code = await runCli(['node', 'cli', 'verify', '--table', stack.table, '--repair', '--progress', 'none'], streams);

    // then
    const { out, err } = streams.output();
    expect(err).not.toContain('Invalid index name');
    expect(code).toBe(1);
    const summary = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { drift: Record<string, number>; repair: Record<string, number> };
    expect(summary.drift).toEqual({ missing: 1, different: 0, extra: 0, invalid: 4 });
    expect(summary.repair).toEqual({ repaired: 1, stale: 0, unrepaired: 4 });
    expect(err).toMatch(/invalid item \{"pk":"THING#proto","sk":"1"\}: .*"__proto__"/);
    expect(err).toMatch(/invalid item \{"pk":"THING#hidden","sk":"1"\} \(index [^)]+\): .*"ddbSync\.deleted"/);
    expect((await liveDocuments(openSearch, misc)).has(idOf('before'))).toBe(true);
  });

  it('verify --repair run again changes nothing: the same items stay reported, nothing is "repaired" each run', async () => {
    // given: the good documents are in line, the bad items are still in the table
    await dynamo.send(new DeleteItemCommand({ TableName: stack.table, Key: marshall({ pk: 'THING#after', sk: '1' }) }));
    await runner.drained({ timeoutMs: 30_000 });

    // when
    const summary = await verify(clients, stack.table, { repair: true });

    // then
    expect(summary.drift).toEqual({ missing: 0, different: 0, extra: 0, invalid: 4 });
    expect(summary.repair).toEqual({ repaired: 0, stale: 0, unrepaired: 4 });
  });
});
