import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { documentId, writeAlias } from '@ddb-os/opensearch-mapping';
import { productItem } from '@ddb-os/schemas';
import { createStreamTable, deleteTable, dynamoClient, openSearchClient, uniqueName } from '@ddb-os/testing';
import { TRANSFORM_DEFINITION } from '../helpers/capture';
import { ddbOs, summaryOf } from '../helpers/process';

jest.setTimeout(120_000);

const ITEMS = 12;

/**
 * The real `ddb-os` process against the local stack, for a sync defined in a module of its own (`--definition`)
 * whose products route excludes `description` and renames `name` to `title`.
 */
describe('ddb-os against the local stack', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const table = uniqueName('cli-catalog');
  const index = uniqueName('cli-products');
  const env = { CLI_TEST_INDEX: index, RETRY_BASE_DELAY_MS: '20', RETRY_MAX_DELAY_MS: '500' };
  const cli = (...args: string[]) => ddbOs(['--definition', TRANSFORM_DEFINITION, ...args], env);
  const idOf = (n: number) => documentId({ pk: `PRODUCT#p${n}`, sk: 'PRODUCT' }, ['pk', 'sk']);

  beforeAll(async () => {
    await createStreamTable(dynamo, table);
    const items = Array.from({ length: ITEMS }, (_unused, n) =>
      productItem(
        `p${n}`,
        { name: `Lamp ${n}`, description: `secret ${n}`, category: 'lighting', price: n, tags: ['home'], inStock: true },
        new Date('2026-01-01T00:00:00Z'),
      ),
    );
    await dynamo.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: items.map((item) => ({ PutRequest: { Item: marshall(item) } })) } }),
    );
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await openSearch.indices.delete({ index: `${index}-*`, ignore_unavailable: true });
    dynamo.destroy();
    await openSearch.close();
  });

  it('backfills the sync with its transform, and verify finds the index clean (exit 0): excluded absent, renamed under its new name', async () => {
    // when
    const backfill = await cli('backfill', '--table', table, '--segments', '2', '--progress', 'none');
    const verify = await cli('verify', '--table', table, '--progress', 'none');

    // then
    expect(backfill.stderr).not.toMatch(/error/i);
    expect(backfill.code).toBe(0);
    expect(summaryOf(backfill)).toMatchObject({ status: 'completed', counts: { read: ITEMS, indexed: ITEMS, failed: 0 } });
    const { body } = await openSearch.get({ index: writeAlias(index), id: idOf(3) });
    expect(body._source).toMatchObject({ pk: 'PRODUCT#p3', title: 'Lamp 3', price: 3 });
    expect(body._source).not.toHaveProperty('description');
    expect(body._source).not.toHaveProperty('name');
    expect(verify.code).toBe(0);
    expect(summaryOf(verify)).toMatchObject({ status: 'clean', drift: { missing: 0, different: 0, extra: 0, invalid: 0 } });
  });

  it('verify reports drift with exit 1: a document changed and one deleted behind the sync', async () => {
    // given
    await openSearch.update({ index: writeAlias(index), id: idOf(4), body: { doc: { title: 'Changed by hand' } }, refresh: true });
    await openSearch.delete({ index: writeAlias(index), id: idOf(5), refresh: true });

    const report = path.join(await mkdtemp(path.join(tmpdir(), 'ddb-os-')), 'drift.ndjson');

    // when
    const verify = await cli('verify', '--table', table, '--report', report, '--progress', 'none');

    // then
    expect(verify.code).toBe(1);
    expect(summaryOf(verify)).toMatchObject({ status: 'drift', drift: { missing: 1, different: 1, extra: 0, invalid: 0 } });
    const entries = (await readFile(report, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; id: string; reason: string });
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'different', id: idOf(4), reason: 'fields differ: title' }),
        expect.objectContaining({ kind: 'missing', id: idOf(5) }),
      ]),
    );
  });

  it('verify --repair restores the drifted documents, and status shows the table, stream and index with its live documents', async () => {
    // when
    const repair = await cli('verify', '--table', table, '--repair', '--progress', 'none');
    // status counts what search sees: the repaired documents once the index has refreshed (within refresh_interval)
    await openSearch.indices.refresh({ index: `${index}-v1` });
    const status = await cli('status', '--table', table);
    const json = await cli('status', '--table', table, '--json');

    // then
    expect(repair.code).toBe(0);
    expect(summaryOf(repair)).toMatchObject({ repair: { repaired: 2, stale: 0, unrepaired: 0 } });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('sync catalog (mode direct');
    expect(status.stdout).toMatch(new RegExp(`table ${table}: ACTIVE, keys pk, sk`));
    expect(status.stdout).toMatch(/stream arn:aws:dynamodb:[^ ]+: ENABLED, NEW_AND_OLD_IMAGES, \d+ open/);
    expect(status.stdout).toContain(`index ${index}: ${ITEMS} live documents; read alias → ${index}-v1; write alias → ${index}-v1`);
    expect(status.stdout).toContain('runner checkpoints: none');
    expect(summaryOf(json)).toMatchObject({
      table: { name: table, exists: true, keyAttributes: ['pk', 'sk'] },
      indexes: [{ index, exists: true, documents: ITEMS }],
      missing: [],
    });
  });

  it('status exits 1 naming what is missing', async () => {
    const status = await cli('status', '--table', uniqueName('cli-absent'));
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/missing: table cli-absent-[^:]+: .*not found/);
  });
});
