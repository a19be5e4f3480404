import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { documentId, writeAlias } from '@ddb-os/opensearch-mapping';
import { createStreamTable, deleteTable, dynamoClient, openSearchClient, uniqueName } from '@ddb-os/testing';
import { ddbOs, summaryOf } from '../helpers/process';

jest.setTimeout(120_000);

/**
 * A sync of a table that exists already, from a definition module of its own: its key attributes (`orderId` only,
 * declared nowhere) are read with DescribeTable, and `--table` defaults to the table the definition names.
 */
describe('ddb-os on an existing table of another definition module', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const table = uniqueName('cli-orders');
  const index = uniqueName('cli-orders-idx');
  const cli = (...args: string[]) =>
    ddbOs(['--definition', 'apps/cli/test/fixtures/existing-table-sync.ts', ...args], { CLI_TEST_TABLE: table, CLI_TEST_INDEX: index });

  beforeAll(async () => {
    await createStreamTable(dynamo, table, { pk: 'orderId' });
    const orders = Array.from({ length: 5 }, (_unused, n) => ({ orderId: `o${n}`, customer: `c${n}`, total: n * 10, note: 'internal' }));
    await dynamo.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: orders.map((order) => ({ PutRequest: { Item: marshall(order) } })) } }),
    );
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await openSearch.indices.delete({ index: `${index}-*`, ignore_unavailable: true });
    dynamo.destroy();
    await openSearch.close();
  });

  it('backfills, verifies clean and shows the status without --table, keyed by the partition key DescribeTable reports', async () => {
    // when
    const backfill = await cli('backfill', '--progress', 'none');
    const verify = await cli('verify', '--progress', 'none');
    const status = await cli('status');

    // then
    expect(backfill.code).toBe(0);
    expect(summaryOf(backfill)).toMatchObject({ status: 'completed', counts: { read: 5, indexed: 5, failed: 0 } });
    const { body } = await openSearch.get({ index: writeAlias(index), id: documentId({ orderId: 'o2' }, ['orderId']) });
    expect(body._source).toMatchObject({ orderId: 'o2', buyer: 'c2', total: 20 });
    expect(body._source).not.toHaveProperty('note');
    expect(verify.code).toBe(0);
    expect(summaryOf(verify)).toMatchObject({ status: 'clean' });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`table ${table}: ACTIVE, keys orderId, ~`);
    expect(status.stdout).toContain(`index ${index}: 5 live documents`);
  });
});
