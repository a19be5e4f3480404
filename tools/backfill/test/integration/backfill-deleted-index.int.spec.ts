import path from 'node:path';
import { documentId } from '@ddb-os/opensearch-mapping';
import { dynamoClient, openSearchClient } from '@ddb-os/testing';
import { retryFailures } from '../../src/retry-failures';
import { catalogItems, productItem, syncTarget, tempDir } from '../helpers/factories';
import { backfill, scanBackfillOptions, verify, type TestClients } from '../helpers/run';
import { createTestStack, destroyTestStack, liveDocuments, putItems, type TestStack } from '../helpers/stack';

jest.setTimeout(90_000);

describe('a backfill into an index deleted by hand after the process bootstrapped it', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  let stack: TestStack;
  let clients: TestClients;

  beforeAll(async () => {
    stack = await createTestStack(dynamo, 'bf-deleted');
    clients = { dynamo, openSearch, target: syncTarget(stack.routes) };
    await putItems(dynamo, stack.table, catalogItems(40));
  });

  afterAll(async () => {
    await destroyTestStack(dynamo, openSearch, stack);
    dynamo.destroy();
    await openSearch.close();
  });

  it('creates the index again and writes every item there', async () => {
    // given a first run with this client (its ensureIndex checks are cached), then both indexes deleted
    await backfill(
      clients,
      scanBackfillOptions(stack.table, await tempDir(), { source: { kind: 'scan', table: stack.table, segments: 1, pageSize: 100 } }),
    );
    await openSearch.indices.delete({ index: `${stack.products}-*,${stack.reviews}-*` });
    // when the table is backfilled again with the same client
    const summary = await backfill(
      clients,
      scanBackfillOptions(stack.table, await tempDir(), {
        source: { kind: 'scan', table: stack.table, segments: 1, pageSize: 100 },
        maxPageAttempts: 2,
      }),
    );
    // then
    expect(summary.counts).toMatchObject({ read: 40, indexed: 40, failed: 0 });
    expect((await verify(clients, stack.table, { counts: false })).status).toBe('clean');
  });

  it('retry-failures creates the index again too, like backfill, and indexes the fixed items there', async () => {
    // given a backfill that could not index an invalid item, the item fixed, then both indexes deleted by hand
    await putItems(dynamo, stack.table, [productItem(7_000, { name: '' })]);
    const directory = await tempDir();
    const options = scanBackfillOptions(stack.table, directory, {
      source: { kind: 'scan', table: stack.table, segments: 1, pageSize: 100 },
    });
    expect((await backfill(clients, options)).counts.failed).toBe(1);
    await putItems(dynamo, stack.table, [productItem(7_000)]);
    await openSearch.indices.delete({ index: `${stack.products}-*,${stack.reviews}-*` });
    // when
    const summary = await retryFailures(
      {
        table: stack.table,
        failuresFile: options.failuresFile,
        stillFailingFile: path.join(directory, 'still.ndjson'),
        maxPageAttempts: 2,
      },
      clients,
    );
    // then
    expect(summary.counts).toMatchObject({ read: 1, indexed: 1, failed: 0 });
    const products = await liveDocuments(openSearch, stack.products);
    expect(products.get(documentId({ pk: 'PRODUCT#p7000', sk: 'PRODUCT' }, ['pk', 'sk']))).toMatchObject({ name: 'Lamp 7000' });
  });
});
