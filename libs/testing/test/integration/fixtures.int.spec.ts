import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../src/clients';
import { createStreamTable, deleteTable } from '../../src/fixtures';
import { uniqueName } from '../../src/names';

jest.setTimeout(30_000);

describe('table fixtures', () => {
  const client = dynamoClient();

  afterAll(() => client.destroy());

  it('creates an ACTIVE on-demand table with a NEW_AND_OLD_IMAGES stream and deletes it', async () => {
    // given
    const name = uniqueName('fixture');

    // when
    const streamArn = await createStreamTable(client, name, { pk: 'id' });
    const described = await client.send(new DescribeTableCommand({ TableName: name }));
    await deleteTable(client, name);

    // then
    expect(streamArn).toBe(described.Table?.LatestStreamArn);
    expect(streamArn).toContain(`table/${name}/stream/`);
    expect(described.Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
    await expect(client.send(new DescribeTableCommand({ TableName: name }))).rejects.toThrow(ResourceNotFoundException);
  });

  it('deleting a table that does not exist is fine', async () => {
    await expect(deleteTable(client, uniqueName('missing'))).resolves.toBeUndefined();
  });
});
