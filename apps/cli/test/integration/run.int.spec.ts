import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { documentId, writeAlias } from '@ddb-os/opensearch-mapping';
import { productItem } from '@ddb-os/schemas';
import { createStreamTable, deleteTable, dynamoClient, openSearchClient, sqsClient, uniqueName, waitFor } from '@ddb-os/testing';
import { TRANSFORM_DEFINITION } from '../helpers/capture';
import { ddbOs, spawnDdbOs } from '../helpers/process';

jest.setTimeout(120_000);

/** `ddb-os run`: the stream runner with the sync's indexer built in-process from a definition module. */
describe('ddb-os run against the local stack', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const sqs = sqsClient();
  const table = uniqueName('cli-run');
  const index = uniqueName('cli-run-products');
  let queueUrl: string;
  let checkpointFile: string;

  beforeAll(async () => {
    await createStreamTable(dynamo, table);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('cli-run-dlq') }))).QueueUrl ?? '';
    checkpointFile = path.join(await mkdtemp(path.join(tmpdir(), 'ddb-os-run-')), 'checkpoints.json');
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    await openSearch.indices.delete({ index: `${index}-*`, ignore_unavailable: true });
    dynamo.destroy();
    sqs.destroy();
    await openSearch.close();
  });

  it('indexes the stream with the transform of the sync, checkpoints it (shown by status), and stops cleanly on SIGTERM', async () => {
    // given the runner, started as a new user would (no AWS_* variables)
    const env = { CLI_TEST_INDEX: index, POWERTOOLS_LOG_LEVEL: 'WARN' };
    const common = ['--definition', TRANSFORM_DEFINITION];
    const runner = spawnDdbOs(
      [
        ...common,
        'run',
        '--table',
        table,
        '--dlq-url',
        queueUrl,
        '--checkpoint-file',
        checkpointFile,
        '--poll-interval-ms',
        '50',
        '--log-format',
        'json',
      ],
      env,
    );

    // when a product is written to the table
    const item = productItem(
      'r1',
      { name: 'Desk lamp', description: 'secret', category: 'lighting', price: 5, tags: [], inStock: true },
      new Date('2026-01-01T00:00:00Z'),
    );
    await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));

    // then its document arrives, shaped by the sync
    const id = documentId({ pk: 'PRODUCT#r1', sk: 'PRODUCT' }, ['pk', 'sk']);
    const source = await waitFor(
      async () => {
        if (runner.child.exitCode !== null) throw new Error(`the runner exited with ${runner.child.exitCode}: ${runner.output()}`);
        const { body } = await openSearch.get({ index: writeAlias(index), id }, { ignore: [404] });
        return body.found === true ? (body._source as Record<string, unknown>) : false;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `the document in ${index}` },
    );
    expect(source).toMatchObject({ title: 'Desk lamp', price: 5 });
    expect(source).not.toHaveProperty('description');
    const status = await waitFor(
      async () => {
        const run = await ddbOs([...common, 'status', '--table', table, '--checkpoint-file', checkpointFile, '--dlq-url', queueUrl], {
          CLI_TEST_INDEX: index,
        });
        return /shardId-\S+: at \d+/.test(run.stdout) ? run : false;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'a checkpoint in status' },
    );
    expect(status.stdout).toContain(`runner checkpoints ${checkpointFile}:`);
    expect(status.stdout).toContain(`dead-letter queue ${queueUrl}: 0 waiting, 0 in flight`);
    runner.child.kill('SIGTERM');
    expect((await runner.finished).code).toBe(0);
  });
});
