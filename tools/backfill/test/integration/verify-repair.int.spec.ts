import { readFile } from 'node:fs/promises';
import { retryFailures } from '../../src/retry-failures';
import path from 'node:path';
import { applyWrites } from '@ddb-os/index-writer';
import { documentId, snapshotOrderKey, writeAlias } from '@ddb-os/opensearch-mapping';
import { dynamoClient, openSearchClient } from '@ddb-os/testing';
import { catalogItems, productItem, reviewItem, syncTarget, tempDir } from '../helpers/factories';
import { backfill, scanBackfillOptions, verify, type TestClients } from '../helpers/run';
import { createTestStack, destroyTestStack, liveDocuments, putItems, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

describe('verify and --repair against the local stack', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  let stack: TestStack;
  let clients: TestClients;

  beforeAll(async () => {
    stack = await createTestStack(dynamo, 'bf-verify');
    clients = { dynamo, openSearch, target: syncTarget(stack.routes) };
    await putItems(dynamo, stack.table, catalogItems(300));
    const summary = await backfill(clients, scanBackfillOptions(stack.table, await tempDir()));
    expect(summary.counts).toMatchObject({ read: 300, indexed: 300, failed: 0 });
  });

  afterAll(async () => {
    await destroyTestStack(dynamo, openSearch, stack);
    dynamo.destroy();
    await openSearch.close();
  });

  it('is clean right after a backfill', async () => {
    // given: counts are near-real-time (they see refreshed documents only)
    await openSearch.indices.refresh({ index: `${stack.products}-write,${stack.reviews}-write` });
    // when
    const summary = await verify(clients, stack.table);
    // then
    expect(summary.status).toBe('clean');
    expect(summary.drift).toEqual({ missing: 0, different: 0, extra: 0, invalid: 0 });
    expect(summary).toMatchObject({ itemsScanned: 300, itemsCompared: 300, documentsChecked: 0 });
    expect(summary.extrasProven).toEqual([stack.products, stack.reviews]);
    expect(summary.counts).toEqual([
      { index: stack.products, tableItems: 240, documents: 240 },
      { index: stack.reviews, tableItems: 60, documents: 60 },
    ]);
  });

  it('scrolls every document for extras with fullExtras, and is still clean', async () => {
    // when
    const summary = await verify(clients, stack.table, { fullExtras: true });
    // then
    expect(summary.status).toBe('clean');
    expect(summary).toMatchObject({ documentsChecked: 300, extrasProven: [] });
  });

  it('finds an extra document when it is the only drift (the live count exceeds the items)', async () => {
    // given: a document of a key that no table item has, written behind the sync's back
    const ghostKey = { pk: 'PRODUCT#p8888', sk: 'PRODUCT' };
    const ghostId = documentId(ghostKey, ['pk', 'sk']);
    const order = snapshotOrderKey(Date.now() - 3_600_000, productItem(8_888), { safetySeconds: 2 });
    await applyWrites(
      openSearch,
      [{ index: stack.products, id: ghostId, order, document: productItem(8_888), keys: ghostKey, meta: { source: 'backfill' as const } }],
      clients.target,
    );
    try {
      // when
      const summary = await verify(clients, stack.table);
      // then
      expect(summary.drift).toEqual({ missing: 0, different: 0, extra: 1, invalid: 0 });
      expect(summary.extrasProven).toEqual([stack.reviews]);
      expect(summary.documentsChecked).toBe(241);
    } finally {
      await openSearch.delete({ index: writeAlias(stack.products), id: ghostId, refresh: true });
    }
  });

  it('finds a deleted, an altered, an extra and a misplaced document, and --repair fixes them all', async () => {
    // given: drift injected behind the sync's back
    const keyOf = (n: number) => ({ pk: `PRODUCT#p${n}`, sk: 'PRODUCT' });
    const idOf = (n: number) => documentId(keyOf(n), ['pk', 'sk']);
    await openSearch.delete({ index: writeAlias(stack.products), id: idOf(0) });
    await openSearch.update({ index: writeAlias(stack.products), id: idOf(1), body: { doc: { price: 999.5, name: 'Tampered' } } });
    const ghost = productItem(9_999);
    // A review-shaped document (the reviews mapping is strict) carrying the key of product p2.
    const misplaced = { ...reviewItem(2), ...keyOf(2) };
    const oldOrder = snapshotOrderKey(Date.now() - 3_600_000, ghost, { safetySeconds: 2 });
    const meta = { source: 'backfill' as const };
    await applyWrites(
      openSearch,
      [{ index: stack.products, id: idOf(9_999), order: oldOrder, document: ghost, keys: keyOf(9_999), meta }],
      clients.target,
    );
    await applyWrites(
      openSearch,
      [{ index: stack.reviews, id: idOf(2), order: oldOrder, document: misplaced, keys: keyOf(2), meta }],
      clients.target,
    );
    await openSearch.indices.refresh({ index: `${stack.products}-write,${stack.reviews}-write` });
    const reportFile = path.join(await tempDir(), 'drift.ndjson');

    // when
    const found = await verify(clients, stack.table, { reportFile });

    // then
    expect(found.status).toBe('drift');
    expect(found.drift).toEqual({ missing: 1, different: 1, extra: 2, invalid: 0 });
    const lines = (await readFile(reportFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const drift = lines.filter((line) => line['type'] === 'drift').map((line) => [line['kind'], line['index'], line['id'], line['reason']]);
    expect(drift).toEqual(
      expect.arrayContaining([
        ['missing', stack.products, idOf(0), 'no document'],
        ['different', stack.products, idOf(1), 'fields differ: name, price'],
        ['extra', stack.products, idOf(9_999), 'no table item has this key'],
        ['extra', stack.reviews, idOf(2), `the table item routes to index ${stack.products}`],
      ]),
    );
    expect(lines.at(-1)).toMatchObject({ type: 'summary', status: 'drift' });

    // when
    const repaired = await verify(clients, stack.table, { repair: true });

    // then
    expect(repaired.repair).toEqual({ repaired: 4, stale: 0, unrepaired: 0 });
    expect(repaired.status).toBe('clean');
    const after = await verify(clients, stack.table);
    expect(after.status).toBe('clean');
    expect(after.drift).toEqual({ missing: 0, different: 0, extra: 0, invalid: 0 });
    const products = await liveDocuments(openSearch, stack.products);
    expect(products.get(idOf(1))).toMatchObject({ price: 1, name: 'Lamp 1', ddbSync: { source: 'repair' } });
    expect(products.get(idOf(0))).toMatchObject({ productId: 'p0', ddbSync: { source: 'repair' } });
    expect(products.has(idOf(9_999))).toBe(false);
    expect((await liveDocuments(openSearch, stack.reviews)).has(idOf(2))).toBe(false);
  });

  it('reports an item that fails its schema as invalid drift that repair cannot fix', async () => {
    // given
    await putItems(dynamo, stack.table, [productItem(5_000, { price: -1 })]);
    // when
    const summary = await verify(clients, stack.table, { repair: true, counts: false, extras: false });
    // then
    expect(summary.drift.invalid).toBe(1);
    expect(summary.repair).toEqual({ repaired: 0, stale: 0, unrepaired: 1 });
    expect(summary.status).toBe('drift');
  });

  it('compares only the sampled keys, the same ones every run', async () => {
    // when
    const first = await verify(clients, stack.table, { sample: 0.25, counts: false, sampleSeed: 'a' });
    const second = await verify(clients, stack.table, { sample: 0.25, counts: false, sampleSeed: 'a' });
    // then
    expect(first.itemsCompared).toBeGreaterThan(30);
    expect(first.itemsCompared).toBeLessThan(130);
    expect(second.itemsCompared).toBe(first.itemsCompared);
    expect(first.documentsChecked).toBe(second.documentsChecked);
  });

  it('replays a failures file once the items are fixed: fixed ones get indexed, the rest stay in a new file', async () => {
    // given: a backfill that could not index two invalid items
    await putItems(dynamo, stack.table, [productItem(6_000, { name: '' }), productItem(6_001, { price: -2 })]);
    const directory = await tempDir();
    const options = scanBackfillOptions(stack.table, directory);
    const first = await backfill(clients, options);
    expect(first.counts.failed).toBeGreaterThanOrEqual(2);
    await putItems(dynamo, stack.table, [productItem(6_000)]);
    const stillFailingFile = path.join(directory, 'still-failing.ndjson');
    // when
    const summary = await retryFailures(
      { table: stack.table, failuresFile: options.failuresFile, stillFailingFile, maxPageAttempts: 3 },
      clients,
    );
    // then
    expect(summary).toMatchObject({ records: first.counts.failed, withoutKey: 0, gone: 0 });
    expect(summary.counts).toMatchObject({ read: first.counts.failed, indexed: 1, failed: first.counts.failed - 1 });
    const stillFailing = (await readFile(stillFailingFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { keys: { pk: string } });
    expect(stillFailing.map((record) => record.keys.pk)).toContain('PRODUCT#p6001');
    expect(stillFailing.map((record) => record.keys.pk)).not.toContain('PRODUCT#p6000');
    const products = await liveDocuments(openSearch, stack.products);
    expect(products.get(documentId({ pk: 'PRODUCT#p6000', sk: 'PRODUCT' }, ['pk', 'sk']))).toMatchObject({
      name: 'Lamp 6000',
      ddbSync: { source: 'backfill' },
    });
  });
});
