import type { Client } from '@opensearch-project/opensearch';
import { buildBulkActions, bulkNdjson, mappingFromZod, physicalIndexName, writeAlias } from '@ddb-os/opensearch-mapping';
import { createServer } from 'node:net';
import { stackEndpoints, startFaultProxy, uniqueName } from '@ddb-os/testing';
import { createOpenSearchClient } from '../../src/client';
import { applyWritesEnsuringIndex, ensureIndex, purgeTombstones } from '../../src/ensure-index';
import { applyWrites } from '../../src/apply-writes';
import { IndexCreationError, UnsafeTombstonePurgeError } from '../../src/errors';
import { aDelete, aPut, fastOptions, orderAt } from '../helpers/factories';
import { createTestIndex, deleteTestIndex, searchableIds, storedSource, testItemSchema } from '../helpers/live-index';

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ensureIndex / purgeTombstones (real OpenSearch)', () => {
  const clients: Client[] = [];
  const bases: string[] = [];
  const newClient = (): Client => {
    const client = createOpenSearchClient({ node: stackEndpoints().opensearch });
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    const [client] = clients;
    if (client) await Promise.all(bases.map((base) => deleteTestIndex(client, base)));
    await Promise.all(clients.map((client) => client.close()));
  });

  it('creates <base>-v1 with the write alias and the tombstone-hiding read alias', async () => {
    // given a new base name
    const client = newClient();
    const base = uniqueName('iw');
    bases.push(base);
    // when
    await ensureIndex(client, {
      index: base,
      mappings: mappingFromZod(testItemSchema),
      settings: { replicas: 0 },
      additionalSettings: { gc_deletes: '1s' },
    });
    // then
    const aliases = (await client.indices.getAlias({ index: physicalIndexName(base, 1) })).body as Record<
      string,
      { aliases: Record<string, object> }
    >;
    expect(aliases[`${base}-v1`]?.aliases).toEqual({
      [base]: { filter: { bool: { must_not: [{ term: { 'ddbSync.deleted': true } }] } } },
      [`${base}-write`]: { is_write_index: true },
    });
    const settings = (await client.indices.getSettings({ index: physicalIndexName(base, 1) })).body as Record<
      string,
      { settings: { index: Record<string, unknown> } }
    >;
    expect(settings[`${base}-v1`]?.settings.index).toMatchObject({ gc_deletes: '1s', number_of_replicas: '0' });
  });

  it('is idempotent and tolerates concurrent creators', async () => {
    // given three processes (clients without a cache) creating the same index at once
    const base = uniqueName('iw');
    bases.push(base);
    const create = (client: Client): Promise<void> =>
      ensureIndex(client, { index: base, mappings: mappingFromZod(testItemSchema), settings: { replicas: 0 } });
    // when
    await Promise.all([create(newClient()), create(newClient()), create(newClient())]);
    await create(newClient());
    // then there is exactly one physical index
    const indices = (await clients[0]!.cat.indices({ index: `${base}*`, format: 'json' })).body as Array<{ index: string }>;
    expect(indices.map((entry) => entry.index)).toEqual([`${base}-v1`]);
  });

  it('never auto-creates a concrete index under a missing write alias (require_alias)', async () => {
    // given no index at all for this base
    const client = newClient();
    const base = uniqueName('iw');
    // when a bulk built by this library is sent
    const actions = buildBulkActions([
      { kind: 'create', write: { id: '1', order: orderAt(1, 1), index: writeAlias(base), source: { pk: 'a' } } },
    ]);
    const response = await client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: bulkNdjson(actions) });
    // then the item fails and nothing was created
    const { items } = response.body as { items: Array<{ create?: { status: number } }> };
    expect(items[0]?.create?.status).toBe(404);
    expect((await client.indices.exists({ index: writeAlias(base) })).body).toBe(false);
  });

  it('reports writes to a base without an index as retryable, naming the missing index', async () => {
    const client = newClient();
    const base = uniqueName('iw');
    const outcomes = await applyWrites(
      client,
      [aPut('1', { index: base })],
      fastOptions({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }),
    );
    expect(outcomes.of({ index: base, id: '1' })).toEqual({
      status: 'retryable',
      reason: expect.stringContaining('index_not_found_exception'),
    });
  });

  it('retries the first check with backoff while the cluster is unreachable, then says after how many attempts', async () => {
    // given a client of a closed port
    const client = createOpenSearchClient({ node: `http://127.0.0.1:${await closedPort()}` });
    clients.push(client);
    const sleeps: number[] = [];
    // when
    const ensuring = ensureIndex(client, {
      index: uniqueName('iw'),
      mappings: mappingFromZod(testItemSchema),
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 150 },
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
    });
    // then
    await expect(ensuring).rejects.toThrow(IndexCreationError);
    await expect(ensuring).rejects.toThrow(/ECONNREFUSED[\s\S]*\(after 3 attempts\)$/);
    expect(sleeps).toEqual([50, 75]);
  });

  it('rides out a cluster answering 503 to the first checks', async () => {
    // given a proxy that fails the first two alias checks
    const proxy = await startFaultProxy({ target: stackEndpoints().opensearch });
    const rule = proxy.addRule({ match: { path: '/_alias/' }, fault: { kind: 'status', status: 503 }, times: 2 });
    const client = createOpenSearchClient({ node: proxy.url });
    clients.push(client);
    const base = uniqueName('iw');
    bases.push(base);
    try {
      // when
      await ensureIndex(client, {
        index: base,
        mappings: mappingFromZod(testItemSchema),
        settings: { replicas: 0 },
        sleep: async () => undefined,
      });
      // then
      expect(rule.hits).toBe(2);
      expect((await client.indices.existsAlias({ name: writeAlias(base) })).body).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('recreates a write index deleted by hand: the next batch is indexed', async () => {
    // given an index bootstrapped and written to by this process
    const client = newClient();
    const base = uniqueName('iw');
    bases.push(base);
    const ensure = (): { mappings: object; settings: { replicas: number } } => ({
      mappings: mappingFromZod(testItemSchema),
      settings: { replicas: 0 },
    });
    const first = await applyWritesEnsuringIndex(client, [aPut('1', { index: base })], fastOptions(), ensure);
    expect(first.of({ index: base, id: '1' })).toEqual({ status: 'applied' });
    // when the index is deleted behind the process's back, and the next batch comes
    await client.indices.delete({ index: physicalIndexName(base, 1) });
    const second = await applyWritesEnsuringIndex(client, [aPut('2', { index: base })], fastOptions(), ensure);
    // then the index is back, with its aliases, and holds the second batch
    expect(second.of({ index: base, id: '2' })).toEqual({ status: 'applied' });
    expect(second.counters).toMatchObject({ applied: 1, retryable: 0 });
    expect((await client.indices.existsAlias({ name: writeAlias(base) })).body).toBe(true);
    expect(await storedSource(client, base, '2')).toMatchObject({ name: 'Product 2' });
  });

  it('writes one id to two indexes in one call, and re-creates both at once, without backoff, when they were deleted by hand', async () => {
    // given two indexes bootstrapped and written to in one call, each holding document "1"
    const client = newClient();
    const [products, reviews] = [uniqueName('iw'), uniqueName('iw')] as const;
    bases.push(products, reviews);
    const ensure = (): { mappings: object; settings: { replicas: number } } => ({
      mappings: mappingFromZod(testItemSchema),
      settings: { replicas: 0 },
    });
    const first = await applyWritesEnsuringIndex(
      client,
      [aPut('1', { index: products }), aPut('1', { index: reviews, fields: { name: 'review' } })],
      fastOptions(),
      ensure,
    );
    expect([first.of({ index: products, id: '1' }), first.of({ index: reviews, id: '1' })]).toEqual([
      { status: 'applied' },
      { status: 'applied' },
    ]);
    expect(first.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 1 });
    // when both are deleted behind the process's back, and the next batch comes
    await client.indices.delete({ index: [physicalIndexName(products, 1), physicalIndexName(reviews, 1)] });
    const sleeps: number[] = [];
    const second = await applyWritesEnsuringIndex(
      client,
      [aPut('2', { index: products }), aPut('2', { index: reviews })],
      fastOptions({ sleep: async (ms) => void sleeps.push(ms) }),
      ensure,
    );
    // then both are back and hold the batch, and no retry waited for an index that retrying cannot create
    expect([second.of({ index: products, id: '2' }), second.of({ index: reviews, id: '2' })]).toEqual([
      { status: 'applied' },
      { status: 'applied' },
    ]);
    expect(second.counters).toMatchObject({ applied: 2, retryable: 0, retries: 0 });
    expect(sleeps).toEqual([]);
    expect(await storedSource(client, reviews, '1')).toBeUndefined();
  });

  it('purges old tombstones only, and refuses an unsafe age', async () => {
    // given a live document and a tombstone
    const client = newClient();
    const base = await createTestIndex(client);
    bases.push(base);
    await applyWrites(client, [aPut('live', { index: base }), aDelete('gone', { index: base })], fastOptions());
    // when purging everything older than 0 ms (tests only)
    await expect(purgeTombstones(client, base, { olderThanMs: 60_000 })).rejects.toThrow(UnsafeTombstonePurgeError);
    const result = await purgeTombstones(client, base, { olderThanMs: 0, allowYoungTombstones: true, now: new Date(Date.now() + 1000) });
    // then the tombstone is gone and the live document stays
    expect(result).toEqual({ deleted: 1, versionConflicts: 0 });
    expect(await storedSource(client, base, 'gone')).toBeUndefined();
    expect(await searchableIds(client, base)).toEqual(['live']);
  });
});
