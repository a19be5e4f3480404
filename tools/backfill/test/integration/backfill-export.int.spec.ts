import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { applyWrites, ensureIndex } from '@ddb-os/index-writer';
import { documentId, streamOrderKey } from '@ddb-os/opensearch-mapping';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { dynamoClient, openSearchClient, s3Client, uniqueName } from '@ddb-os/testing';
import type { PageCommittedEvent } from '../../src/backfill';
import { rawItemJson } from '../../src/item-plan';
import type { SegmentPosition } from '../../src/types';
import { catalogItems, productItem, syncTarget, tempDir } from '../helpers/factories';
import { backfill, scanBackfillOptions, verify, type TestClients } from '../helpers/run';
import { createTestStack, destroyTestStack, liveDocuments, putItems, type TestStack } from '../helpers/stack';

jest.setTimeout(90_000);

const EXPORT_DIRECTORY = 'exports/AWSDynamoDB/01767225600000-abcd1234';

/** Writes a DYNAMODB_JSON full export of `items` in `files` data files, with its manifests. */
async function writeExport(
  s3: S3Client,
  bucket: string,
  items: readonly JsonObject[],
  exportTime: string,
  corruptLine: string,
): Promise<void> {
  const files = [0, 1, 2].map((file) => items.filter((_item, position) => position % 3 === file));
  const manifest: string[] = [];
  for (const [position, fileItems] of files.entries()) {
    const key = `${EXPORT_DIRECTORY}/data/file-${position}.json.gz`;
    const lines = fileItems.map((item) => JSON.stringify({ Item: rawItemJson(marshall(item)) }));
    if (position === 1) lines.splice(5, 0, corruptLine);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(`${lines.join('\n')}\n`) }));
    manifest.push(JSON.stringify({ itemCount: fileItems.length, md5Checksum: 'x', etag: 'x', dataFileS3Key: key }));
  }
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${EXPORT_DIRECTORY}/manifest-files.json`, Body: `${manifest.join('\n')}\n` }));
  const summary = {
    version: '2020-06-30',
    exportTime,
    outputFormat: 'DYNAMODB_JSON',
    exportType: 'FULL_EXPORT',
    itemCount: items.length,
    manifestFilesS3Key: `${EXPORT_DIRECTORY}/manifest-files.json`,
  };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${EXPORT_DIRECTORY}/manifest-summary.json`, Body: JSON.stringify(summary) }));
}

async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const objects = (listed.Contents ?? []).map((object) => ({ Key: object.Key }));
  if (objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

describe('a backfill from a DynamoDB export in S3', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  const s3 = s3Client();
  const bucket = uniqueName('bf-export');
  let stack: TestStack;
  let clients: TestClients;

  beforeAll(async () => {
    stack = await createTestStack(dynamo, 'bf-export');
    clients = { dynamo, openSearch, target: syncTarget(stack.routes) };
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    await destroyTestStack(dynamo, openSearch, stack);
    await emptyBucket(s3, bucket);
    dynamo.destroy();
    s3.destroy();
    await openSearch.close();
  });

  it('loads every item as of the export time, resumes per data file, and never undoes a later streamed change or delete', async () => {
    // given: the export, then changes after it that the stream indexer has already indexed
    const items = [...catalogItems(240), productItem(1_000, { picture: Uint8Array.from([1, 2, 3]) as unknown as JsonObject[string] })];
    const exportTime = new Date(Date.now() - 60_000).toISOString();
    await writeExport(s3, bucket, items, exportTime, '{"Item": {"pk": ');
    await putItems(dynamo, stack.table, items);
    const changed = productItem(1, { name: 'Changed after the export', price: 42 });
    await putItems(dynamo, stack.table, [changed]);
    await dynamo.send(new DeleteItemCommand({ TableName: stack.table, Key: marshall({ pk: 'PRODUCT#p2', sk: 'PRODUCT' }) }));
    const nowSeconds = Math.floor(Date.now() / 1000);
    const keysOf = (n: number) => ({ pk: `PRODUCT#p${n}`, sk: 'PRODUCT' });
    const streamed = (n: number, sequenceNumber: string, document: JsonObject | undefined) => ({
      index: stack.products,
      id: documentId(keysOf(n), ['pk', 'sk']),
      order: streamOrderKey({
        eventName: document ? 'MODIFY' : 'REMOVE',
        sequenceNumber,
        approximateCreationSeconds: nowSeconds,
        newImage: document,
        oldImage: undefined,
      }),
      document,
      keys: keysOf(n),
      meta: { source: 'stream' as const },
    });
    await ensureIndex(openSearch, { index: stack.products, mappings: clients.target.shapes.mappingsOf(stack.products) });
    const outcomes = await applyWrites(openSearch, [streamed(1, '100', changed), streamed(2, '101', undefined)], clients.target);
    expect([...outcomes.values()]).toEqual([{ status: 'applied' }, { status: 'applied' }]);
    const directory = await tempDir();
    const options = scanBackfillOptions(stack.table, directory, {
      source: { kind: 'export', url: `s3://${bucket}/${EXPORT_DIRECTORY}`, pageSize: 30 },
      concurrency: 2,
    });
    const controller = new AbortController();

    // when: interrupted after three pages, then resumed
    const interrupted = await backfill(clients, options, {
      s3,
      signal: controller.signal,
      onPageCommitted: (event) => {
        if (event.pagesThisRun === 3) controller.abort();
      },
    });
    const saved = JSON.parse(await readFile(options.checkpointFile, 'utf8')) as { segments: Record<string, { position: SegmentPosition }> };
    const resumedPages: PageCommittedEvent[] = [];
    const resumed = await backfill(clients, { ...options, mode: 'resume' }, { s3, onPageCommitted: (event) => resumedPages.push(event) });

    // then
    expect(interrupted.status).toBe('aborted');
    expect(resumed.status).toBe('completed');
    expect(resumed.source).toBe(`export:s3://${bucket}/${EXPORT_DIRECTORY}`);
    expect(resumed.counts).toEqual({ read: items.length + 1, indexed: items.length - 2, stale: 2, unrouted: 0, failed: 1 });
    const partlyRead = Object.entries(saved.segments).filter(([, state]) => typeof state.position === 'number');
    expect(partlyRead.length).toBeGreaterThan(0);
    for (const [segment, state] of partlyRead) {
      expect(resumedPages.find((page) => page.segment === segment)?.startedFrom).toBe(state.position);
    }
    const failures = (await readFile(options.failuresFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failures).toEqual([
      expect.objectContaining({
        segment: `${EXPORT_DIRECTORY}/data/file-1.json.gz`,
        reason: expect.stringMatching(/file-1\.json\.gz:6: not JSON/),
      }),
    ]);
    const products = await liveDocuments(openSearch, stack.products);
    expect(products.get(documentId(keysOf(1), ['pk', 'sk']))).toMatchObject({
      name: 'Changed after the export',
      ddbSync: { source: 'stream' },
    });
    expect(products.has(documentId(keysOf(2), ['pk', 'sk']))).toBe(false);
    expect(products.get(documentId(keysOf(1_000), ['pk', 'sk']))).toMatchObject({ productId: 'p1000', ddbSync: { source: 'backfill' } });
    expect((await verify(clients, stack.table, { counts: false })).status).toBe('clean');
  });
});
