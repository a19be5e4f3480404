import { isConfigurationError } from '@ddb-os/sync-config';
import { defineSyncs } from '@ddb-os/sync-definition';
import { createTable, deleteTable, dynamoClient, stackEndpoints, testSyncDefinition, uniqueName } from '@ddb-os/testing';
import { tableKeyAttributesOf } from '../../src/sync-environment';

jest.setTimeout(60_000);

/** An existing table's key attributes, read with DescribeTable from moto through DYNAMODB_ENDPOINT. */
describe('tableKeyAttributesOf an existing table (real moto)', () => {
  const dynamo = dynamoClient();
  const table = uniqueName('core-existing');
  const endpoints = stackEndpoints();
  const env = {
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
  };
  const existing = (name: string) =>
    defineSyncs({
      syncs: [
        {
          ...testSyncDefinition({ routes: [{ index: uniqueName('core-existing'), match: { always: true } }] }),
          table: { existing: { name } },
        },
      ],
    }).named('test');

  beforeAll(() => createTable(dynamo, table, { pk: 'tenant', sk: 'orderId' }));

  afterAll(async () => {
    await deleteTable(dynamo, table);
    dynamo.destroy();
  });

  it('reads the partition key, then the sort key', async () => {
    await expect(tableKeyAttributesOf(existing(table), { ...env, TABLE_NAME: table })).resolves.toEqual(['tenant', 'orderId']);
  });

  it('refuses a table it cannot describe, naming TABLE_NAME and the SDK error, as retryable (not a configuration error)', async () => {
    // given a table that does not exist (yet)
    const missing = uniqueName('core-missing');
    // when
    const error = await tableKeyAttributesOf(existing(missing), { ...env, TABLE_NAME: missing }).catch((caught: unknown) => caught);
    // then
    expect((error as Error).message).toMatch(
      new RegExp(`TABLE_NAME: cannot read the key attributes of table "${missing}" \\(DescribeTable: `),
    );
    expect(isConfigurationError(error)).toBe(false);
  });
});
