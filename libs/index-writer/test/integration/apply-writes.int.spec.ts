import type { Client } from '@opensearch-project/opensearch';
import { stackEndpoints, startFaultProxy, type FaultProxy } from '@ddb-os/testing';
import fc from 'fast-check';
import { applyWrites } from '../../src/apply-writes';
import { createOpenSearchClient } from '../../src/client';
import type { IntendedWrite } from '../../src/types';
import { aDelete, aPut, fastOptions, orderAt } from '../helpers/factories';
import { createTestIndex, deleteTestIndex, searchableIds, storedOrder, storedSource } from '../helpers/live-index';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('applyWrites (real OpenSearch)', () => {
  let client: Client;
  let base: string;

  beforeAll(async () => {
    client = createOpenSearchClient({ node: stackEndpoints().opensearch });
    // gc_deletes 0s: OpenSearch forgets its own delete tombstones at once, so only ours can protect
    base = await createTestIndex(client, { gc_deletes: '0s' });
  });

  afterAll(async () => {
    await deleteTestIndex(client, base);
    await client.close();
  });

  const put = (id: string, second: number, fields: Record<string, string | number> = {}): IntendedWrite =>
    aPut(id, { index: base, order: orderAt(second, 1), fields });
  const remove = (id: string, second: number): IntendedWrite => aDelete(id, { index: base, order: orderAt(second, 1) });

  it('applies a put, an update and a delete; the read alias hides the tombstone', async () => {
    // when a product is created, updated, then deleted
    expect(
      (await applyWrites(client, [put('p1', 100, { price: 1 }), put('p2', 100)], fastOptions())).of({ index: base, id: 'p1' }),
    ).toEqual({ status: 'applied' });
    expect((await applyWrites(client, [put('p1', 101, { price: 2 })], fastOptions())).of({ index: base, id: 'p1' })).toEqual({
      status: 'applied',
    });
    expect(await storedSource(client, base, 'p1')).toMatchObject({ price: 2, ddbSync: { order: orderAt(101, 1), deleted: false } });
    expect((await applyWrites(client, [remove('p1', 102)], fastOptions())).of({ index: base, id: 'p1' })).toEqual({ status: 'applied' });
    // then the write alias holds a tombstone with the keys only, and searches no longer see it
    expect(await storedSource(client, base, 'p1')).toEqual({
      pk: 'PRODUCT#p1',
      sk: 'PRODUCT',
      ddbKeys: { pk: 'PRODUCT#p1', sk: 'PRODUCT' },
      ddbSync: expect.objectContaining({ order: orderAt(102, 1), deleted: true, eventName: 'REMOVE' }),
    });
    expect(await searchableIds(client, base)).toEqual(['p2']);
  });

  it('skips a stale write', async () => {
    await applyWrites(client, [put('s1', 200, { name: 'new' })], fastOptions());
    const outcomes = await applyWrites(client, [put('s1', 199, { name: 'old' })], fastOptions());
    expect(outcomes.of({ index: base, id: 's1' })).toEqual({ status: 'stale' });
    expect(await storedSource(client, base, 's1')).toMatchObject({ name: 'new' });
  });

  it('keeps a deleted item deleted against an older write, long after gc_deletes', async () => {
    // given a delete applied, and more than gc_deletes (0s) elapsed with refreshes in between
    await applyWrites(client, [put('r1', 300)], fastOptions());
    await applyWrites(client, [remove('r1', 302)], fastOptions());
    await client.indices.refresh({ index: `${base}-write` });
    await sleep(1500);
    await client.indices.refresh({ index: `${base}-write` });
    // when a re-delivered older put and a slow table read from before the delete arrive
    const outcomes = await applyWrites(client, [put('r1', 301, { name: 'resurrected?' })], fastOptions());
    // then nothing comes back
    expect(outcomes.of({ index: base, id: 'r1' })).toEqual({ status: 'stale' });
    expect(await storedSource(client, base, 'r1')).toMatchObject({ ddbSync: { deleted: true } });
    expect(await searchableIds(client, base)).not.toContain('r1');
  });

  it('re-creates an item deleted earlier when a newer put arrives', async () => {
    await applyWrites(client, [remove('c1', 400)], fastOptions());
    expect((await applyWrites(client, [put('c1', 401, { name: 'back' })], fastOptions())).of({ index: base, id: 'c1' })).toEqual({
      status: 'applied',
    });
    expect(await storedSource(client, base, 'c1')).toMatchObject({ name: 'back', ddbSync: { deleted: false } });
  });

  it('creates INSERTs without reading them, and an INSERT over a tombstone or a newer document still compares first', async () => {
    const insert = (id: string, second: number, fields: Record<string, string | number> = {}): IntendedWrite => ({
      ...put(id, second, fields),
      meta: { source: 'stream', eventName: 'INSERT' },
    });
    // given a deleted item (its tombstone) and an item whose later change is already stored
    await applyWrites(client, [remove('n1', 600), put('n2', 602, { name: 'newer' })], fastOptions());
    // when another container (its own client: it knows no versions) creates the first again, gets an old INSERT of
    // the second again, and creates a new item
    const other = createOpenSearchClient({ node: stackEndpoints().opensearch });
    const outcomes = await applyWrites(
      other,
      [insert('n1', 601, { name: 'back' }), insert('n2', 601, { name: 'older' }), insert('n3', 601)],
      fastOptions({ maxConflictRounds: 0 }),
    );
    await other.close();
    // then OpenSearch refused the two creates over existing documents (409), which were then read and planned
    expect(['n1', 'n2', 'n3'].map((id) => outcomes.of({ index: base, id }))).toEqual([
      { status: 'applied' },
      { status: 'stale' },
      { status: 'applied' },
    ]);
    expect(outcomes.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 2, conflictsRetried: 0 });
    expect(await storedSource(client, base, 'n1')).toMatchObject({ name: 'back', ddbSync: { order: orderAt(601, 1), deleted: false } });
    expect(await storedSource(client, base, 'n2')).toMatchObject({ name: 'newer' });
  });

  it('writes a document it wrote before over the version its own last response reported, without an _mget', async () => {
    // given a document this client wrote
    await applyWrites(client, [put('v1', 700, { price: 1 })], fastOptions());
    // when its next change comes
    const next = await applyWrites(client, [put('v1', 701, { price: 2 })], fastOptions());
    // then it went out as an index with if_seq_no at once
    expect(next.of({ index: base, id: 'v1' })).toEqual({ status: 'applied' });
    expect(next.counters).toMatchObject({ mgetRequests: 0, bulkRequests: 1 });
    expect(await storedSource(client, base, 'v1')).toMatchObject({ price: 2, ddbSync: { order: orderAt(701, 1) } });
  });

  it('reads again when the version it knows is out of date, and never skips on what it only remembers', async () => {
    // given a document this client wrote, then changed by another container
    await applyWrites(client, [put('v2', 800, { price: 1 })], fastOptions());
    const other = createOpenSearchClient({ node: stackEndpoints().opensearch });
    await applyWrites(other, [put('v2', 802, { price: 3 })], fastOptions());
    await other.close();
    // when this client writes a change between the two, then a newer one
    const between = await applyWrites(client, [put('v2', 801, { price: 2 })], fastOptions({ maxConflictRounds: 0 }));
    const newer = await applyWrites(client, [put('v2', 803, { price: 4 })], fastOptions({ maxConflictRounds: 0 }));
    // then the first found the document changed (409), read it and ended stale; the second read the version and landed
    expect(between.of({ index: base, id: 'v2' })).toEqual({ status: 'stale' });
    expect(between.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 1, conflictsRetried: 0 });
    expect(newer.of({ index: base, id: 'v2' })).toEqual({ status: 'applied' });
    expect(await storedSource(client, base, 'v2')).toMatchObject({ price: 4, ddbSync: { order: orderAt(803, 1) } });
    // and an old change delivered again is compared with a fresh read, not with the remembered version
    const old = await applyWrites(client, [put('v2', 799, { price: 0 })], fastOptions());
    expect(old.of({ index: base, id: 'v2' })).toEqual({ status: 'stale' });
    expect(old.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 0 });
  });

  it('converges to the greatest key when two writers race on the same ids', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 500, max: 510 }), fc.integer({ min: 500, max: 510 }), fc.boolean(), fc.boolean()), {
          minLength: 1,
          maxLength: 15,
        }),
        async (cases) => {
          run += 1; // fresh ids for every run, shrinking included
          // given two writers with different keys (puts or deletes) for the same ids
          const writesA = cases.map(([a, , deleteA], i) =>
            deleteA ? remove(`race-${run}-${i}`, a) : put(`race-${run}-${i}`, a, { name: `A${a}` }),
          );
          const writesB = cases.map(([, b, , deleteB], i) =>
            deleteB ? remove(`race-${run}-${i}`, b) : put(`race-${run}-${i}`, b, { name: `B${b}` }),
          );
          // when they race
          await Promise.all([applyWrites(client, writesA, fastOptions()), applyWrites(client, writesB, fastOptions())]);
          // then every document holds the greater key
          for (const [i, writeA] of writesA.entries()) {
            const writeB = writesB[i]!;
            const expected = writeA.order >= writeB.order ? writeA.order : writeB.order;
            expect(await storedOrder(client, base, writeA.id)).toBe(expected);
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it('rejects a document that breaks the strict mapping as poison, with the reason, and applies the rest', async () => {
    const outcomes = await applyWrites(
      client,
      [put('ok1', 600), put('bad1', 600, { colour: 'red' }), put('bad2', 600, { price: 'cheap' }), put('ok2', 600)],
      fastOptions(),
    );
    expect(outcomes.of({ index: base, id: 'ok1' })).toEqual({ status: 'applied' });
    expect(outcomes.of({ index: base, id: 'ok2' })).toEqual({ status: 'applied' });
    expect(outcomes.of({ index: base, id: 'bad1' })).toEqual({
      status: 'poison',
      reason: expect.stringMatching(/^400 strict_dynamic_mapping_exception: .*colour/),
    });
    expect(outcomes.of({ index: base, id: 'bad2' })).toEqual({
      status: 'poison',
      reason: expect.stringMatching(/^400 mapper_parsing_exception: .*price/),
    });
    expect(outcomes.counters).toMatchObject({ applied: 2, poison: 2 });
  });

  describe('through the fault proxy', () => {
    let proxy: FaultProxy;
    let proxied: Client;

    beforeAll(async () => {
      proxy = await startFaultProxy({ target: stackEndpoints().opensearch });
      proxied = createOpenSearchClient({ node: proxy.url, requestTimeoutMs: 5000 });
    });

    afterEach(() => proxy.clearRules());

    afterAll(async () => {
      await proxied.close();
      await proxy.stop();
    });

    it('retries whole-request 429 and 503 to success', async () => {
      // given the next bulk rejected with 429, the one after with 503
      proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'status', status: 429 }, times: 1 });
      proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'status', status: 503 }, times: 1 });
      // when
      const outcomes = await applyWrites(proxied, [put('f1', 700), put('f2', 700)], fastOptions());
      // then
      expect([...outcomes.values()]).toEqual([{ status: 'applied' }, { status: 'applied' }]);
      expect(proxy.counters.injected.status).toBe(2);
      expect(outcomes.counters).toMatchObject({ applied: 2, retries: 4, bulkRequests: 3 });
    });

    it('retries only the rejected bulk items', async () => {
      proxy.addRule({ fault: { kind: 'bulk-items', status: 429, ids: ['i2'], keepInRequest: false }, times: 1 });
      const outcomes = await applyWrites(proxied, [put('i1', 800), put('i2', 800), put('i3', 800)], fastOptions());
      expect([...outcomes.values()].map((outcome) => outcome.status)).toEqual(['applied', 'applied', 'applied']);
      expect(outcomes.counters).toMatchObject({ retries: 1, bulkRequests: 2 });
      expect(await storedOrder(client, base, 'i2')).toBe(orderAt(800, 1));
    });

    it('finds a write whose acknowledgement was lost already applied (stale), not doubled', async () => {
      proxy.addRule({ fault: { kind: 'bulk-items', status: 503, ids: ['l1'] }, times: 1 });
      const outcomes = await applyWrites(proxied, [put('l1', 900, { name: 'once' })], fastOptions());
      expect(outcomes.of({ index: base, id: 'l1' })).toEqual({ status: 'stale' });
      expect(await storedSource(client, base, 'l1')).toMatchObject({ name: 'once', ddbSync: { order: orderAt(900, 1) } });
    });

    it('retries a request that timed out', async () => {
      proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'hang' }, times: 1 });
      const outcomes = await applyWrites(proxied, [put('t1', 1000)], fastOptions({ requestTimeoutMs: 500 }));
      expect(outcomes.of({ index: base, id: 't1' })).toEqual({ status: 'applied' });
      expect(proxy.counters.injected.hang).toBe(1);
    });

    it('reports retryable with the reason when the retries are exhausted', async () => {
      const rule = proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'status', status: 503 } });
      const outcomes = await applyWrites(
        proxied,
        [put('x1', 1100)],
        fastOptions({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } }),
      );
      expect(outcomes.of({ index: base, id: 'x1' })).toEqual({
        status: 'retryable',
        reason: '_bulk failed: 503 unavailable_shards_exception: injected by the fault proxy (503) (after 3 attempts)',
      });
      expect(rule.hits).toBe(3);
      expect(await storedSource(client, base, 'x1')).toBeUndefined();
    });

    it('re-reads after a conflict with a concurrent writer and converges to the greater key', async () => {
      // given writer A whose bulks are delayed, so writer B lands between A's read and A's write
      proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'delay', ms: 400 }, times: 1 });
      const ids = ['k1', 'k2', 'k3', 'k4'];
      const writesA = ids.map((id, i) => put(id, 1200 + (i % 2 === 0 ? 5 : 0), { name: 'A' }));
      const writesB = ids.map((id) => put(id, 1202, { name: 'B' }));
      // when
      const racingA = applyWrites(proxied, writesA, fastOptions());
      await sleep(150);
      const outcomesB = await applyWrites(client, writesB, fastOptions());
      const outcomesA = await racingA;
      // then A's newer writes landed after a re-read, its older ones ended stale
      expect([...outcomesB.values()].every((outcome) => outcome.status === 'applied')).toBe(true);
      expect(outcomesA.counters.conflictsRetried).toBe(4);
      expect(ids.map((id) => outcomesA.of({ index: base, id })?.status)).toEqual(['applied', 'stale', 'applied', 'stale']);
      expect(await Promise.all(ids.map((id) => storedOrder(client, base, id)))).toEqual([
        orderAt(1205, 1),
        orderAt(1202, 1),
        orderAt(1205, 1),
        orderAt(1202, 1),
      ]);
    });
  });
});
