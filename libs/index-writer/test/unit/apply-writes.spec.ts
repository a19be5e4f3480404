import type { Client } from '@opensearch-project/opensearch';
import { DuplicateWriteError } from '@ddb-os/opensearch-mapping';
import { applyWrites } from '../../src/apply-writes';
import { createOpenSearchClient } from '../../src/client';
import { InvalidIndexWriterConfigError } from '../../src/errors';
import { FakeCluster } from '../helpers/fake-cluster';
import { aDelete, aPut, fastOptions, orderAt } from '../helpers/factories';

const WRITE_ALIAS = 'products-write';
const tooManyRequests = { status: 429, body: { error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } };
const unavailable = { status: 503, body: { error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } } };

describe('applyWrites (against an in-process fake cluster)', () => {
  let cluster: FakeCluster;
  let client: Client;

  beforeEach(async () => {
    cluster = new FakeCluster();
    client = createOpenSearchClient({ node: await cluster.start(), requestTimeoutMs: 2000 });
  });

  afterEach(async () => {
    await client.close();
    await cluster.stop();
  });

  const bulkIds = (index: number): string[] =>
    (cluster.requestsTo('/_bulk')[index]?.body ?? '')
      .split('\n')
      .filter((line) => line.includes('"_id"'))
      .map((line) => Object.values(JSON.parse(line) as Record<string, { _id: string }>)[0]?._id ?? '');

  describe('compare-and-set', () => {
    it('creates absent documents with ddbKeys and ddbSync, through the write alias, in one _mget and one _bulk', async () => {
      // when
      const outcomes = await applyWrites(client, [aPut('1'), aPut('2')], fastOptions({ now: () => new Date('2024-01-01T00:00:00Z') }));
      // then
      expect([...outcomes]).toEqual([
        [{ index: 'products', id: '1' }, { status: 'applied' }],
        [{ index: 'products', id: '2' }, { status: 'applied' }],
      ]);
      expect(cluster.get(WRITE_ALIAS, '1')?.source).toEqual({
        pk: 'PRODUCT#1',
        sk: 'PRODUCT',
        name: 'Product 1',
        ddbKeys: { pk: 'PRODUCT#1', sk: 'PRODUCT' },
        ddbSync: {
          order: orderAt(1_700_000_000, 1),
          deleted: false,
          source: 'stream',
          eventName: 'MODIFY',
          indexedAt: '2024-01-01T00:00:00.000Z',
        },
      });
      expect(cluster.requestsTo('/_mget')).toHaveLength(1);
      expect(cluster.requestsTo('/_mget')[0]?.path).toMatch(
        /_source_includes=ddbSync.order.*realtime=true|realtime=true.*_source_includes=ddbSync.order/,
      );
      expect(cluster.requestsTo('/_bulk')).toHaveLength(1);
      expect(cluster.requestsTo('/_bulk')[0]?.body).toContain('{"create":{"_index":"products-write","_id":"1","require_alias":true}}');
      expect(outcomes.counters).toMatchObject({ applied: 2, mgetRequests: 1, bulkRequests: 1 });
    });

    it('never asks for a refresh', async () => {
      await applyWrites(client, [aPut('1')], fastOptions());
      expect(cluster.requests.filter((request) => request.path.includes('refresh'))).toEqual([]);
    });

    it('overwrites an older document only over the exact version it read', async () => {
      // given an older stored version
      const stored = cluster.put(WRITE_ALIAS, '1', { ddbSync: { order: orderAt(1_700_000_000, 1) } });
      // when a newer change arrives
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 2) })], fastOptions());
      // then it is an index guarded by if_seq_no
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'applied' });
      expect(cluster.requestsTo('/_bulk')[0]?.body).toContain(`"if_seq_no":${stored.seqNo},"if_primary_term":1`);
    });

    it('skips a write whose change is older than the stored one, without sending a bulk', async () => {
      cluster.put(WRITE_ALIAS, '1', { name: 'newest', ddbSync: { order: orderAt(1_700_000_001, 1) } });
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 9) })], fastOptions());
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'stale' });
      expect(cluster.get(WRITE_ALIAS, '1')?.source['name']).toBe('newest');
      expect(cluster.requestsTo('/_bulk')).toHaveLength(0);
      expect(outcomes.counters.stale).toBe(1);
    });

    it('writes a tombstone for a delete, which then blocks an older put', async () => {
      // given a delete applied
      await applyWrites(client, [aDelete('1', { order: orderAt(1_700_000_005, 1) })], fastOptions());
      // when a re-delivered older put arrives
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_004, 1) })], fastOptions());
      // then it is skipped and the tombstone stays
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'stale' });
      expect(cluster.get(WRITE_ALIAS, '1')?.source).toMatchObject({ pk: 'PRODUCT#1', ddbSync: { deleted: true } });
      expect(cluster.get(WRITE_ALIAS, '1')?.source).not.toHaveProperty('name');
    });

    it('re-reads and re-plans after a 409 from a concurrent writer', async () => {
      // given another writer that stores an older version right after our _mget
      let raced = false;
      cluster.afterMget = () => {
        if (!raced) cluster.put(WRITE_ALIAS, '1', { ddbSync: { order: orderAt(1_700_000_000, 1) } });
        raced = true;
      };
      // when
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 2) })], fastOptions());
      // then our newer write lands on the second round
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'applied' });
      expect(cluster.get(WRITE_ALIAS, '1')?.source['ddbSync']).toMatchObject({ order: orderAt(1_700_000_000, 2) });
      expect(outcomes.counters).toMatchObject({ conflictsRetried: 1, mgetRequests: 2, bulkRequests: 2 });
    });

    it('ends as stale when the concurrent writer stored a newer change', async () => {
      let raced = false;
      cluster.afterMget = () => {
        if (!raced) cluster.put(WRITE_ALIAS, '1', { ddbSync: { order: orderAt(1_700_000_009, 1) } });
        raced = true;
      };
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 2) })], fastOptions());
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'stale' });
      expect(cluster.get(WRITE_ALIAS, '1')?.source['ddbSync']).toEqual({ order: orderAt(1_700_000_009, 1) });
    });

    it('gives up on endless conflicts after maxConflictRounds, as retryable', async () => {
      cluster.afterMget = () => void cluster.put(WRITE_ALIAS, '1', { ddbSync: { order: orderAt(1, 1) } });
      const outcomes = await applyWrites(client, [aPut('1')], fastOptions({ maxConflictRounds: 2 }));
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({
        status: 'retryable',
        reason: expect.stringContaining('version conflict persisted after 3 attempts'),
      });
      expect(cluster.requestsTo('/_bulk')).toHaveLength(3);
    });
  });

  describe('stream INSERTs: create without a read first', () => {
    const anInsert = (id: string, overrides: Parameters<typeof aPut>[1] = {}) =>
      aPut(id, { meta: { source: 'stream', eventName: 'INSERT' }, ...overrides });

    it('creates the documents of INSERTs with no _mget, and reads only the other writes', async () => {
      // given a batch of two INSERTs and one MODIFY
      const outcomes = await applyWrites(client, [anInsert('i1'), aPut('m1'), anInsert('i2')], fastOptions());
      // then all are applied, the _mget asked for the MODIFY alone, and the INSERTs went out as create
      expect([...outcomes.values()]).toEqual([{ status: 'applied' }, { status: 'applied' }, { status: 'applied' }]);
      expect(
        cluster
          .requestsTo('/_mget')
          .map((request) => (JSON.parse(request.body) as { docs: Array<{ _id: string }> }).docs.map((doc) => doc._id)),
      ).toEqual([['m1']]);
      expect(cluster.requestsTo('/_bulk')[0]?.body).toContain('{"create":{"_index":"products-write","_id":"i1","require_alias":true}}');
      expect(outcomes.counters).toMatchObject({ applied: 3, mgetRequests: 1, bulkRequests: 1, conflictsRetried: 0 });
    });

    it('creates without a read the writes whose changes began with an INSERT (created, then updated or deleted in one batch)', async () => {
      // given an item created then updated, and one created then deleted, coalesced to their last change each
      const updated = aPut('c1', { meta: { source: 'stream', eventName: 'MODIFY' }, expectsNoDocument: true });
      const deleted = aDelete('c2', { meta: { source: 'stream', eventName: 'REMOVE' }, expectsNoDocument: true });
      // when
      const outcomes = await applyWrites(client, [updated, deleted], fastOptions());
      // then both went out as create in one _bulk, with no _mget, the deleted one as a tombstone
      expect([...outcomes.values()]).toEqual([{ status: 'applied' }, { status: 'applied' }]);
      expect(outcomes.counters).toMatchObject({ applied: 2, mgetRequests: 0, bulkRequests: 1, conflictsRetried: 0 });
      expect(cluster.requestsTo('/_bulk')[0]?.body).toContain('{"create":{"_index":"products-write","_id":"c2","require_alias":true}}');
      expect(cluster.get(WRITE_ALIAS, 'c2')?.source).toMatchObject({ ddbSync: { deleted: true } });
    });

    it('reads and plans a write expecting no document when one exists, and leaves a newer one alone', async () => {
      // given a newer document already stored (this batch delivered again after it was indexed)
      cluster.put(WRITE_ALIAS, 'c1', { name: 'newer', ddbSync: { order: orderAt(1_700_000_009, 1) } });
      // when the older coalesced write arrives, expecting no document
      const stale = aPut('c1', { meta: { source: 'stream', eventName: 'MODIFY' }, expectsNoDocument: true });
      const outcomes = await applyWrites(client, [stale], fastOptions({ maxConflictRounds: 0 }));
      // then its create was refused (409), it was read, found older than the stored one and skipped: nothing overwritten
      expect(outcomes.of({ index: 'products', id: 'c1' })).toEqual({ status: 'stale' });
      expect(outcomes.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 1, conflictsRetried: 0 });
      expect(cluster.get(WRITE_ALIAS, 'c1')?.source['name']).toBe('newer');
    });

    it('sends a batch of INSERTs only as one _bulk, with no _mget at all', async () => {
      const outcomes = await applyWrites(client, [anInsert('i1'), anInsert('i2')], fastOptions());
      expect(outcomes.counters).toMatchObject({ applied: 2, mgetRequests: 0, bulkRequests: 1 });
      expect(cluster.requestsTo('/_mget')).toEqual([]);
    });

    it('reads and plans an INSERT whose id already holds an older document (a tombstone), without counting a conflict', async () => {
      // given a tombstone of an older delete, and no conflict rounds allowed
      cluster.put(WRITE_ALIAS, 'i1', { ddbSync: { order: orderAt(1_700_000_000, 1), deleted: true } });
      // when the item is created again
      const outcomes = await applyWrites(
        client,
        [anInsert('i1', { order: orderAt(1_700_000_000, 2) })],
        fastOptions({ maxConflictRounds: 0 }),
      );
      // then the create's 409 leads to a read and an index over the tombstone's exact version
      expect(outcomes.of({ index: 'products', id: 'i1' })).toEqual({ status: 'applied' });
      expect(cluster.get(WRITE_ALIAS, 'i1')?.source).toMatchObject({
        name: 'Product i1',
        ddbSync: { order: orderAt(1_700_000_000, 2), deleted: false },
      });
      expect(cluster.requestsTo('/_bulk')[1]?.body).toContain('"if_seq_no":0');
      expect(outcomes.counters).toMatchObject({ applied: 1, conflictsRetried: 0, mgetRequests: 1, bulkRequests: 2 });
    });

    it('leaves a newer document alone when an old INSERT is delivered again (stale)', async () => {
      // given the item's later change already stored
      cluster.put(WRITE_ALIAS, 'i1', { name: 'newer', ddbSync: { order: orderAt(1_700_000_009, 1) } });
      // when its INSERT arrives again
      const outcomes = await applyWrites(client, [anInsert('i1')], fastOptions());
      // then
      expect(outcomes.of({ index: 'products', id: 'i1' })).toEqual({ status: 'stale' });
      expect(cluster.get(WRITE_ALIAS, 'i1')?.source).toEqual({ name: 'newer', ddbSync: { order: orderAt(1_700_000_009, 1) } });
    });

    it('still sends the INSERTs when the _mget of the other writes fails, and retries those', async () => {
      // given the first _mget failing with a 503
      let first = true;
      cluster.onRequest = (request) => (request.path.startsWith('/_mget') && first ? ((first = false), unavailable) : undefined);
      // when a batch holds an INSERT and a MODIFY
      const outcomes = await applyWrites(client, [anInsert('i1'), aPut('m1')], fastOptions());
      // then both end applied: the INSERT in the first round, the MODIFY after its retry
      expect([...outcomes]).toEqual(
        expect.arrayContaining([
          [{ index: 'products', id: 'i1' }, { status: 'applied' }],
          [{ index: 'products', id: 'm1' }, { status: 'applied' }],
        ]),
      );
      expect(outcomes.size).toBe(2);
      expect(bulkIds(0)).toEqual(['i1']);
      expect(outcomes.counters).toMatchObject({ retries: 1, mgetRequests: 2, bulkRequests: 2 });
    });

    it('reads an INSERT before retrying it, so a create that landed although its response was lost ends stale', async () => {
      // given the first _bulk applied but answered with a 503
      let first = true;
      cluster.afterBulk = () =>
        first ? ((first = false), { status: 503, body: { error: { type: 'unavailable_shards_exception', reason: 'lost' } } }) : undefined;
      // when
      const outcomes = await applyWrites(client, [anInsert('i1')], fastOptions());
      // then the retry read the document it had written and did not write it again
      expect(outcomes.of({ index: 'products', id: 'i1' })).toEqual({ status: 'stale' });
      expect(outcomes.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 1, retries: 1 });
    });
  });

  describe('versions known from earlier responses', () => {
    it('writes the next change of a document it wrote over the version the _bulk reported, without an _mget', async () => {
      // given a document this client wrote
      await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 1) })], fastOptions());
      const written = cluster.get(WRITE_ALIAS, '1')?.seqNo;
      // when its next change comes
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 2) })], fastOptions());
      // then it went out over that version at once
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'applied' });
      expect(cluster.requestsTo('/_mget')).toHaveLength(1);
      expect(cluster.requestsTo('/_bulk')[1]?.body).toContain(`"if_seq_no":${written}`);
      expect(outcomes.counters).toMatchObject({ mgetRequests: 0, bulkRequests: 1, conflictsRetried: 0 });
    });

    it('reads and re-plans, without counting a conflict, when another writer changed the document since', async () => {
      // given a document this client wrote, then another writer's newer change
      await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 1) })], fastOptions());
      cluster.put(WRITE_ALIAS, '1', { ddbSync: { order: orderAt(1_700_000_000, 3) } });
      // when this client writes a change older than the other writer's
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 2) })], fastOptions({ maxConflictRounds: 0 }));
      // then the guessed index got 409, the read found the newer change, and nothing was overwritten
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'stale' });
      expect(cluster.get(WRITE_ALIAS, '1')?.source).toEqual({ ddbSync: { order: orderAt(1_700_000_000, 3) } });
      expect(outcomes.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 1, conflictsRetried: 0 });
    });

    it('decides a skip only on a fresh read, never on the remembered version', async () => {
      // given a document this client wrote, then removed by someone else (e.g. an operator or a re-created index)
      await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 5) })], fastOptions());
      cluster.documents.clear();
      // when an older change arrives
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 4) })], fastOptions());
      // then it was read (no document) and created, not skipped on the remembered newer version
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'applied' });
      expect(outcomes.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 1 });
    });

    it('forgets a version after a failed write, so the retry reads (a write that landed unacknowledged ends stale)', async () => {
      await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 1) })], fastOptions());
      let first = true;
      cluster.afterBulk = () => (first ? ((first = false), unavailable) : undefined);
      const outcomes = await applyWrites(client, [aPut('1', { order: orderAt(1_700_000_000, 2) })], fastOptions());
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'stale' });
      expect(outcomes.counters).toMatchObject({ mgetRequests: 1, bulkRequests: 1, retries: 1 });
    });
  });

  describe('failures', () => {
    it('retries a whole-request 429 with full-jitter exponential backoff', async () => {
      // given two rejected bulk requests
      let rejections = 0;
      cluster.onRequest = (request) => (request.path.startsWith('/_bulk') && rejections++ < 2 ? tooManyRequests : undefined);
      const delays: number[] = [];
      // when
      const outcomes = await applyWrites(
        client,
        [aPut('1'), aPut('2')],
        fastOptions({
          retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 150 },
          random: () => 0.5,
          sleep: async (ms) => void delays.push(ms),
        }),
      );
      // then both land, after waits of 0.5·100 and 0.5·min(150, 200)
      expect([...outcomes.values()]).toEqual([{ status: 'applied' }, { status: 'applied' }]);
      expect(delays).toEqual([50, 75]);
      expect(outcomes.counters).toMatchObject({ applied: 2, retries: 4, bulkRequests: 3 });
    });

    it('reports retryable with the reason once maxAttempts are exhausted', async () => {
      cluster.onRequest = (request) => (request.path.startsWith('/_bulk') ? unavailable : undefined);
      const outcomes = await applyWrites(client, [aPut('1')], fastOptions({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }));
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({
        status: 'retryable',
        reason: '_bulk failed: 503 unavailable_shards_exception: primary shard is not active (after 3 attempts)',
      });
      expect(cluster.requestsTo('/_bulk')).toHaveLength(3);
      expect(outcomes.counters).toMatchObject({ retryable: 1, retries: 2 });
    });

    it('retries only the items that failed, leaving the others applied', async () => {
      // given a bulk where item "2" is rejected once
      cluster.onBulkItem = (id, attempt) => (id === '2' && attempt === 1 ? 429 : undefined);
      // when
      const outcomes = await applyWrites(client, [aPut('1'), aPut('2'), aPut('3')], fastOptions());
      // then
      expect([...outcomes.values()].every((outcome) => outcome.status === 'applied')).toBe(true);
      expect(bulkIds(0)).toEqual(['1', '2', '3']);
      expect(bulkIds(1)).toEqual(['2']);
    });

    it('reports a document the mapping rejects as poison, with the reason, and applies the rest', async () => {
      cluster.onBulkItem = (id) => (id === 'bad' ? 400 : undefined);
      const outcomes = await applyWrites(client, [aPut('ok'), aPut('bad')], fastOptions());
      expect(outcomes.of({ index: 'products', id: 'ok' })).toEqual({ status: 'applied' });
      expect(outcomes.of({ index: 'products', id: 'bad' })).toEqual({ status: 'poison', reason: '400 mapper_parsing_exception: injected' });
      expect(cluster.requestsTo('/_bulk')).toHaveLength(1);
    });

    it('retries a timed-out request', async () => {
      let hung = false;
      cluster.onRequest = (request) => {
        if (!request.path.startsWith('/_bulk') || hung) return undefined;
        hung = true;
        return 'hang';
      };
      const outcomes = await applyWrites(client, [aPut('1')], fastOptions({ requestTimeoutMs: 200 }));
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'applied' });
      expect(outcomes.counters.retries).toBe(1);
    });

    it('reports a write whose response was lost but which landed as stale (already applied)', async () => {
      // given a bulk that is applied but answered with 503
      let lost = false;
      cluster.afterBulk = () => (lost ? undefined : ((lost = true), unavailable));
      // when
      const outcomes = await applyWrites(client, [aPut('1')], fastOptions());
      // then the retry finds its own change stored
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'stale' });
      expect(cluster.get(WRITE_ALIAS, '1')?.source['name']).toBe('Product 1');
    });

    it('retries a failed _mget', async () => {
      let failures = 0;
      cluster.onRequest = (request) => (request.path.startsWith('/_mget') && failures++ === 0 ? unavailable : undefined);
      const outcomes = await applyWrites(client, [aPut('1')], fastOptions());
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'applied' });
      expect(cluster.requestsTo('/_mget')).toHaveLength(2);
    });

    it('reports a missing write alias (per-document _mget error) as retryable at once, without retrying it', async () => {
      // given a cluster whose write alias is gone
      cluster.onRequest = (request) =>
        request.path.startsWith('/_mget')
          ? {
              status: 200,
              body: {
                docs: [
                  { _index: WRITE_ALIAS, _id: '1', error: { type: 'index_not_found_exception', reason: 'no such index [products-write]' } },
                ],
              },
            }
          : undefined;
      const sleeps: number[] = [];
      // when
      const outcomes = await applyWrites(
        client,
        [aPut('1')],
        fastOptions({ retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async (ms) => void sleeps.push(ms) }),
      );
      // then one read said so, and no backoff was spent on it
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({
        status: 'retryable',
        reason: '_mget failed: index_not_found_exception: no such index [products-write] (the write alias is missing: not retried)',
      });
      expect(cluster.requestsTo('/_mget')).toHaveLength(1);
      expect(sleeps).toEqual([]);
      expect(cluster.requestsTo('/_bulk')).toHaveLength(0);
    });

    it('reports a missing write alias on a _bulk item (a create without a read) as retryable at once', async () => {
      // given an INSERT, written without a read, into an index the cluster does not have
      cluster.onRequest = (request) =>
        request.path.startsWith('/_bulk')
          ? {
              status: 200,
              body: {
                errors: true,
                items: [
                  {
                    create: {
                      _index: WRITE_ALIAS,
                      _id: 'i1',
                      status: 404,
                      error: { type: 'index_not_found_exception', reason: 'no such index [products-write]' },
                    },
                  },
                ],
              },
            }
          : undefined;
      // when
      const outcomes = await applyWrites(
        client,
        [aPut('i1', { meta: { source: 'stream', eventName: 'INSERT' } })],
        fastOptions({ retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 } }),
      );
      // then
      expect(outcomes.of({ index: 'products', id: 'i1' })).toEqual({
        status: 'retryable',
        reason: expect.stringContaining('index_not_found_exception'),
      });
      expect(cluster.requestsTo('/_bulk')).toHaveLength(1);
      expect(outcomes.counters).toMatchObject({ retries: 0, retryable: 1 });
    });
  });

  describe('request size', () => {
    it('splits the bulk by bytes and sets aside a document too large on its own', async () => {
      // given two small documents and one of ~5 KB, with a 2 KB limit
      const writes = [aPut('a'), aPut('huge', { fields: { text: 'x'.repeat(5000) } }), aPut('b', { fields: { text: 'y'.repeat(1500) } })];
      // when
      const outcomes = await applyWrites(client, writes, fastOptions({ maxBulkBytes: 2048 }));
      // then
      expect(outcomes.of({ index: 'products', id: 'huge' })).toEqual({
        status: 'poison',
        reason: expect.stringMatching(/^document too large: its bulk action is \d+ bytes, over maxBulkBytes \(2048\)$/),
      });
      expect(outcomes.of({ index: 'products', id: 'a' })).toEqual({ status: 'applied' });
      expect(outcomes.of({ index: 'products', id: 'b' })).toEqual({ status: 'applied' });
      expect([bulkIds(0), bulkIds(1)]).toEqual([['a'], ['b']]);
    });

    it('halves a chunk the cluster refuses with 413, and poisons a single document it refuses', async () => {
      // given a cluster that refuses any bulk containing "big"
      cluster.onRequest = (request) =>
        request.path.startsWith('/_bulk') && request.body.includes('"_id":"big"')
          ? { status: 413, body: { error: { type: 'content_too_long', reason: 'too long' } } }
          : undefined;
      // when
      const outcomes = await applyWrites(client, [aPut('1'), aPut('2'), aPut('big'), aPut('3')], fastOptions());
      // then
      expect(outcomes.of({ index: 'products', id: 'big' })).toEqual({
        status: 'poison',
        reason: expect.stringContaining('413 content_too_long'),
      });
      expect(['1', '2', '3'].map((id) => outcomes.of({ index: 'products', id })?.status)).toEqual(['applied', 'applied', 'applied']);
    });
  });

  describe('msLeft (the deadline)', () => {
    it('does not start when msLeft is less than minAttemptMs', async () => {
      const outcomes = await applyWrites(client, [aPut('1')], fastOptions({ msLeft: () => 100, minAttemptMs: 250 }));
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({
        status: 'retryable',
        reason: 'deadline reached before the write could be (re)tried',
      });
      expect(cluster.requests).toHaveLength(0);
    });

    it('stops retrying when the backoff would pass the deadline', async () => {
      cluster.onRequest = (request) => (request.path.startsWith('/_bulk') ? tooManyRequests : undefined);
      const outcomes = await applyWrites(
        client,
        [aPut('1')],
        fastOptions({
          msLeft: () => 1000,
          minAttemptMs: 250,
          retry: { maxAttempts: 10, baseDelayMs: 5000, maxDelayMs: 5000 },
          random: () => 0.9,
        }),
      );
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({
        status: 'retryable',
        reason: '_bulk failed: 429 es_rejected_execution_exception: queue full (no time left before the deadline to retry)',
      });
      expect(cluster.requestsTo('/_bulk')).toHaveLength(1);
    });
  });

  describe('inputs', () => {
    it('refuses two writes to one id of one index, naming both', async () => {
      const duplicate = applyWrites(client, [aPut('1'), aDelete('1')], fastOptions());
      await expect(duplicate).rejects.toThrow(DuplicateWriteError);
      await expect(duplicate).rejects.toThrow(
        'More than one intended write for document "1" of index "products": coalesce to one write per index and id',
      );
    });

    it('writes one id in two indexes in one _mget and one _bulk, with an outcome for each', async () => {
      // given a document written earlier in "reviews" only
      await applyWrites(client, [aPut('1', { index: 'reviews', order: orderAt(1_700_000_000, 5) })], fastOptions());
      cluster.requests.length = 0;
      // when the same id is written to both indexes, older than the stored review
      const outcomes = await applyWrites(
        client,
        [aPut('1'), aPut('1', { index: 'reviews', order: orderAt(1_700_000_000, 2) })],
        fastOptions(),
      );
      // then
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'applied' });
      expect(outcomes.of({ index: 'reviews', id: '1' })).toEqual({ status: 'stale' });
      expect(outcomes.size).toBe(2);
      expect([...outcomes].map(([target]) => target)).toEqual(
        expect.arrayContaining([
          { index: 'products', id: '1' },
          { index: 'reviews', id: '1' },
        ]),
      );
      expect(cluster.requestsTo('/_mget')).toHaveLength(1);
      expect(cluster.requestsTo('/_bulk')).toHaveLength(1);
      expect(cluster.get(WRITE_ALIAS, '1')?.source['name']).toBe('Product 1');
    });

    it('reports an item with a reserved attribute as poison without sending it', async () => {
      const outcomes = await applyWrites(client, [aPut('1', { fields: { ddbSync: 'mine' } })], fastOptions());
      expect(outcomes.of({ index: 'products', id: '1' })).toEqual({ status: 'poison', reason: expect.stringContaining('"ddbSync"') });
      expect(cluster.requests).toHaveLength(0);
    });

    it('reports a write with an invalid order key as poison alone and applies the others', async () => {
      // given: a version-mode key with a negative version, beside a good write
      const outcomes = await applyWrites(client, [aPut('bad', { order: `V-1${'0'.repeat(80)}` }), aPut('good')], fastOptions());
      // then
      expect(outcomes.of({ index: 'products', id: 'bad' })).toEqual({
        status: 'poison',
        reason: expect.stringContaining('is not an order key'),
      });
      expect(outcomes.of({ index: 'products', id: 'good' })).toEqual({ status: 'applied' });
    });

    it('names the bad option', async () => {
      await expect(applyWrites(client, [], fastOptions({ retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 } }))).rejects.toThrow(
        InvalidIndexWriterConfigError,
      );
      await expect(applyWrites(client, [], fastOptions({ maxBulkBytes: -1 }))).rejects.toThrow(/maxBulkBytes/);
      await expect(applyWrites(client, [], fastOptions({ retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 1 } }))).rejects.toThrow(
        /retry\.maxDelayMs/,
      );
    });

    it('returns an empty result for no writes, without requests', async () => {
      const outcomes = await applyWrites(client, [], fastOptions());
      expect(outcomes.size).toBe(0);
      expect(cluster.requests).toHaveLength(0);
    });
  });
});
