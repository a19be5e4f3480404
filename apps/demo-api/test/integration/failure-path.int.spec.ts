/*
 * The acceptance of the local failure path, as a new user runs it: `serve.ts` in a process with no AWS_* variable,
 * a poison product written straight to the table, the failure panel's API, and replay once the item is fixed.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { documentId, writeAlias } from '@ddb-os/opensearch-mapping';
import { dynamoClient, openSearchClient, s3Client } from '@ddb-os/testing';
import { startDemoProcess, type DemoProcess } from '../helpers/demo-process';
import { pollUntil } from '../helpers/local-demo';

jest.setTimeout(240_000);

/** "Within seconds": the runner polls about 5×/s and the failure handler waits at most 1 s per receive. */
const ARCHIVED_WITHIN_MS = 15_000;
const SEARCHABLE_WITHIN_MS = 5_000;

interface FailureBody {
  key: string;
  kind: string;
  table: string;
  reason: string;
  sequenceNumbers: { start: string; end: string } | null;
  failedAt: string;
  itemKeys: Record<string, unknown>[];
}

describe('nx serve demo-api with no AWS variables: the failure path', () => {
  let demo: DemoProcess;
  const dynamodb = dynamoClient();
  const s3 = s3Client();
  const openSearch = openSearchClient();

  beforeAll(async () => {
    demo = await startDemoProcess();
  });

  afterAll(async () => {
    await demo?.close();
    dynamodb.destroy();
    s3.destroy();
    await openSearch.close();
  });

  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${demo.url}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const failures = async () => (await api('GET', '/api/failures')).body['failures'] as FailureBody[];
  const searchFor = async (word: string) => (await api('GET', `/search?q=${word}&type=product`)).body['items'] as Record<string, unknown>[];
  const putProduct = (productId: string, fields: Record<string, AttributeValue>) =>
    dynamodb.send(
      new PutItemCommand({
        TableName: demo.names.table,
        Item: {
          pk: { S: `PRODUCT#${productId}` },
          sk: { S: 'PRODUCT' },
          entityType: { S: 'product' },
          productId: { S: productId },
          updatedAt: { S: new Date().toISOString() },
          ...fields,
        },
      }),
    );
  const productFields = (word: string, price: AttributeValue): Record<string, AttributeValue> => ({
    name: { S: `Lamp ${word}` },
    description: { S: `A lamp ${word}` },
    category: { S: 'lighting' },
    price,
    tags: { L: [{ S: 'lamp' }] },
    inStock: { BOOL: true },
  });

  it('runs with no AWS_* variable in its environment', () => {
    expect(Object.keys(demo.env).filter((name) => name.startsWith('AWS_'))).toEqual([]);
  });

  it('dead-letters a poison item with its data and reason, indexes a good item written after it, lists the archived failure, and replays it once fixed', async () => {
    // given: a product whose price is a string, written straight to the table, then a good one
    const word = `zq${randomBytes(4).toString('hex')}`;
    const poisonId = `p-poison-${word}`;
    const goodId = `p-good-${word}`;
    await putProduct(poisonId, productFields(word, { S: 'twelve' }));
    await putProduct(goodId, productFields(`${word}good`, { N: '12' }));

    // when: the indexer dead-letters it and the failure handler archives the DLQ message
    let listed: FailureBody | undefined;
    await pollUntil(
      'poison record listed by GET /api/failures',
      async () => {
        listed = (await failures()).find((failure) => failure.itemKeys.some((key) => key['pk'] === `PRODUCT#${poisonId}`));
        return listed !== undefined;
      },
      ARCHIVED_WITHIN_MS,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nlisted: ${JSON.stringify(listed)}\ndemo output:\n${demo.output().slice(-6000)}`);
    });

    // then: it came through the DLQ (a poison record, not a batch given up on), with its reason and sequence number
    const failure = listed as FailureBody;
    expect(failure).toMatchObject({
      kind: 'poison-record',
      table: demo.names.table,
      itemKeys: [{ pk: `PRODUCT#${poisonId}`, sk: 'PRODUCT' }],
    });
    expect(failure.reason).toMatch(/price/);
    expect(failure.sequenceNumbers?.start).toMatch(/^\d+$/);
    expect(failure.sequenceNumbers?.start).toBe(failure.sequenceNumbers?.end);
    // and: the archive holds the record's data as the indexer dead-lettered it
    const archived = await s3.send(new GetObjectCommand({ Bucket: demo.names.bucket, Key: failure.key }));
    const [header, record] =
      (await archived.Body?.transformToString())
        ?.trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>) ?? [];
    expect((header?.['source'] as { queueArn: string }).queueArn).toMatch(new RegExp(`${demo.names.table}-dlq$`));
    expect(record).toMatchObject({ dynamodb: { NewImage: { price: { S: 'twelve' } } } });

    // and: the good item written after it is searchable
    await pollUntil(
      'good product searchable',
      async () => (await searchFor(`${word}good`)).some((item) => item['productId'] === goodId),
      SEARCHABLE_WITHIN_MS,
    );

    // when: the item is fixed in the table and indexed by the stream, then its document is lost from the index
    await putProduct(poisonId, productFields(word, { N: '12.5' }));
    await pollUntil(
      'fixed product searchable',
      async () => (await searchFor(word)).some((item) => item['productId'] === poisonId),
      SEARCHABLE_WITHIN_MS,
    );
    const id = documentId({ pk: `PRODUCT#${poisonId}`, sk: 'PRODUCT' }, ['pk', 'sk']);
    await openSearch.delete({ index: writeAlias(demo.names.products), id, refresh: true });
    expect((await searchFor(word)).some((item) => item['productId'] === poisonId)).toBe(false);

    // and: the page replays the archived failure
    const replay = await api('POST', '/api/failures/replay', { key: failure.key });

    // then: replay re-read the fixed item and indexed it, and the failure left the list
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ key: failure.key, status: 'replayed', report: { counts: { items: 1, indexed: 1, failed: 0 } } });
    await pollUntil(
      'replayed product searchable',
      async () => (await searchFor(word)).some((item) => item['productId'] === poisonId && item['price'] === 12.5),
      SEARCHABLE_WITHIN_MS,
    );
    expect((await failures()).map((entry) => entry.key)).not.toContain(failure.key);
  });

  it('refuses to replay a key that is not an archived failure of its table', async () => {
    // when
    const response = await api('POST', '/api/failures/replay', { key: 'failures/another-table/2026/01/01/poison/1-1.ndjson' });

    // then
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'invalid request body',
      issues: [{ path: 'key', message: expect.stringMatching(/not an archived failure/) }],
    });
  });
});
