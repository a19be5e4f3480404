import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { createStreamTable, deleteTable, dynamoClient, streamsClient, uniqueName, waitFor } from '../../src/local';
import { startStreamProbe } from '../../src/stream-probe';
import { sleep } from '../../src/timing';

jest.setTimeout(60_000);

describe('startStreamProbe (against the local DynamoDB)', () => {
  const dynamo = dynamoClient();
  const streams = streamsClient();
  const table = uniqueName('bench-probe');
  let getRecordsCalls = 0;

  beforeAll(async () => {
    await createStreamTable(dynamo, table);
    streams.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'GetRecordsCommand') getRecordsCalls += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countGetRecords' },
    );
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    dynamo.destroy();
    streams.destroy();
  });

  it('reports every record written after it started, at most one GetRecords per poll interval while records flow', async () => {
    // given a probe polling every 100 ms
    const seen: _Record[] = [];
    const probe = await startStreamProbe(streams, table, (record) => seen.push(record), 100);
    const callsAtStart = getRecordsCalls;
    const startedAt = performance.now();
    // when 40 items are written, one every 20 ms (records keep flowing), and all of them are read
    for (let item = 0; item < 40; item += 1) {
      await dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `p${item}` }, sk: { S: 'ITEM' } } }));
      await sleep(20);
    }
    await waitFor(() => seen.length >= 40, { timeoutMs: 20_000, description: 'the probe to see 40 records' });
    const elapsedMs = performance.now() - startedAt;
    await probe.stop();
    // then each record is reported once, in order, and the reads stayed paced
    expect(seen.map((record) => record.dynamodb?.Keys?.['pk']?.S)).toEqual(Array.from({ length: 40 }, (_, item) => `p${item}`));
    expect(getRecordsCalls - callsAtStart).toBeLessThanOrEqual(Math.ceil(elapsedMs / 100) + 2);
  });
});
