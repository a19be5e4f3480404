import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { archiveKey, encodeArchive, messageDigest, metadataOf, S3ArchiveStore, type ArchiveHeader } from '@ddb-os/failure-archive';
import { applyWrites, ensureIndex } from '@ddb-os/index-writer';
import { documentId, mappingFromZod, streamOrderKey, streamWriteMeta, type JsonObject } from '@ddb-os/opensearch-mapping';
import { productItem, productSchema } from '@ddb-os/schemas';
import { decodeBatch, toLambdaRecord, type DecodedChange } from '@ddb-os/stream-decoding';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  openSearchClient,
  s3Client,
  stackEndpoints,
  streamsClient,
  testSync,
  uniqueName,
} from '@ddb-os/testing';
import { Writable } from 'node:stream';
import { runCli } from '../../src/program';
import { replayServices } from '../../src/services';
import { headerFactory } from '../helpers/factories';
import { deleteBucket } from '../helpers/stack';

jest.setTimeout(90_000);

describe('replay against the local stack', () => {
  const endpoints = stackEndpoints();
  const dynamo = dynamoClient();
  const streams = streamsClient();
  const s3 = s3Client();
  const openSearch = openSearchClient();
  const table = uniqueName('rp-catalog');
  const bucket = uniqueName('rp-archive');
  const products = uniqueName('rp-products');
  const store = new S3ArchiveStore(s3, bucket);
  const sync = testSync({ routes: [{ index: products, schema: productSchema, match: { attribute: 'entityType', equals: 'product' } }] });
  const env = {
    ARCHIVE_BUCKET: bucket,
    S3_ENDPOINT: endpoints.s3,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    AWS_REGION: endpoints.region,
    OPENSEARCH_NODE: endpoints.opensearch,
  };
  let streamArn: string;
  let batchKey: string;
  let lostKey: string;

  const product = (id: string, name: string) =>
    productItem(
      id,
      { name, description: `${name} description`, category: 'lamps', price: 10, tags: ['a'], inStock: true },
      new Date('2026-03-04T00:00:00Z'),
    );
  const idOf = (id: string) => documentId({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' }, ['pk', 'sk']);
  const put = (item: object) => dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
  const remove = (id: string) =>
    dynamo.send(new DeleteItemCommand({ TableName: table, Key: marshall({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' }) }));

  /** Does what the indexer does for stream records that succeeded: compare-and-set writes with stream order keys. */
  const indexLikeTheIndexer = async (changes: readonly DecodedChange[]) => {
    const outcomes = await applyWrites(
      openSearch,
      changes.map((change) => ({
        index: products,
        id: documentId(change.keys, ['pk', 'sk']),
        order: streamOrderKey(change),
        document: change.eventName === 'REMOVE' ? undefined : (productSchema.parse(change.newImage) as JsonObject),
        keys: change.keys,
        meta: streamWriteMeta(change),
      })),
      { maxBulkBytes: 5_000_000, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 } },
    );
    expect([...outcomes.values()].every((outcome) => outcome.status === 'applied')).toBe(true);
  };

  /** What the read alias shows (tombstones hidden), by document id. */
  const visible = async (): Promise<Map<string, { name: string }>> => {
    await openSearch.indices.refresh({ index: products });
    const { body } = await openSearch.search({ index: products, body: { size: 100, query: { match_all: {} } } });
    const hits = (body.hits.hits as { _id: string; _source: { name: string } }[]) ?? [];
    return new Map(hits.map((hit) => [hit._id, hit._source]));
  };

  const cli = async (...argv: string[]) => runWith(dynamo, ...argv);

  const runWith = async (tableClient: typeof dynamo, ...argv: string[]) => {
    let text = '';
    const stdout = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) }), { isTTY: false });
    const stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
    const code = await runCli(argv, {
      env,
      stdout,
      stderr,
      sync: () => sync,
      archiveStore: () => store,
      replayServices: (config) => ({ ...replayServices(config), store, dynamo: tableClient }),
    });
    const lines = text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { code, lines };
  };

  const putArchive = async (header: ArchiveHeader, records: unknown[], partition: string) => {
    const key = archiveKey({
      prefix: 'failures/',
      table,
      failedAt: new Date(header.failedAt),
      partition,
      name: `${header.range?.start}-${header.range?.end}`,
      gzip: false,
    });
    await store.putOnce(key, encodeArchive({ header, records }, { gzip: false }), metadataOf(header));
    return key;
  };

  beforeAll(async () => {
    streamArn = await createStreamTable(dynamo, table);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await ensureIndex(openSearch, {
      index: products,
      mappings: mappingFromZod(productSchema, { dynamic: 'strict' }),
      settings: { replicas: 0 },
    });

    // given four products written; the batch holding their INSERTs failed and was archived
    for (const id of ['a', 'b', 'c', 'd']) await put(product(id, `${id} v1`));
    const inserts = await readChanges();
    // ... meanwhile the indexer did index a and b from a retry of their own records,
    await indexLikeTheIndexer(inserts.changes.filter((change) => ['PRODUCT#a', 'PRODUCT#b'].includes(String(change.keys['pk']))));
    // then a was updated and b deleted (both indexed), and d updated (that record failed too: not indexed)
    await put(product('a', 'a v2'));
    await remove('b');
    await put(product('d', 'd v2'));
    const later = await readChanges(inserts.records.length);
    await indexLikeTheIndexer(later.changes.filter((change) => String(change.keys['pk']) !== 'PRODUCT#d'));

    const records = inserts.records.map((record) => toLambdaRecord(record, { streamArn, awsRegion: endpoints.region }));
    const sequences = records.map((record) => record.dynamodb?.SequenceNumber as string);
    const range = { start: sequences[0] as string, end: sequences[3] as string };
    const common = { table, streamArn, range, failedAt: new Date().toISOString() };
    batchKey = await putArchive(
      headerFactory({
        ...common,
        counts: { records: 4, expected: 4 },
        source: { messageId: 'm1', digest: messageDigest('m1'), sentAt: null, queueArn: null },
      }),
      records,
      'shardId-test',
    );
    lostKey = await putArchive(
      headerFactory({
        ...common,
        kind: 'lost-range',
        range: { start: '1', end: sequences[2] as string },
        lost: { condition: 'trimmed', range: { start: '1', end: (BigInt(sequences[2] as string) - 1n).toString() }, detail: 'test' },
        counts: { records: 1, expected: 3 },
        source: { messageId: 'm2', digest: messageDigest('m2'), sentAt: null, queueArn: null },
      }),
      [records[2]],
      'shardId-lost',
    );
  });

  afterAll(async () => {
    await deleteTable(dynamo, table);
    await deleteBucket(s3, bucket);
    const { body: aliases } = await openSearch.indices.getAlias({ name: products });
    await openSearch.indices.delete({ index: Object.keys(aliases as Record<string, unknown>) });
  });

  async function readChanges(skip = 0): Promise<{ records: _Record[]; changes: DecodedChange[] }> {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = StreamDescription?.Shards?.[0]?.ShardId;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    const records = Records.slice(skip);
    const { changes, rejected } = decodeBatch({
      Records: records.map((record) => toLambdaRecord(record, { streamArn, awsRegion: endpoints.region })),
    });
    expect(rejected).toEqual([]);
    return { records, changes };
  }

  it('lists the archive with the lost range called out', async () => {
    // when listed as JSON lines
    const { code, lines } = await cli('list', '--table', table);

    // then two objects and a summary naming the lost range
    expect(code).toBe(0);
    expect(lines.filter((line) => line['type'] === 'object').map((line) => line['key'])).toEqual(
      expect.arrayContaining([batchKey, lostKey]),
    );
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      objects: 2,
      byKind: { 'lost-range': 1, 'stream-batch': 1 },
      lostRanges: [lostKey],
      repair: expect.stringContaining('verify --repair'),
    });
  });

  it('--dry-run prints what it would write and changes nothing', async () => {
    // given the index before
    const before = await visible();

    // when dry-run
    const { code, lines } = await cli('run', '--key', batchKey, '--dry-run');

    // then it plans a, c, d as index and b as tombstone, and the index and the archive are untouched
    expect(code).toBe(0);
    const report = lines.find((line) => line['type'] === 'object') as { status: string; planned: { id: string; action: string }[] };
    expect(report.status).toBe('dry-run');
    expect(report.planned.map(({ id, action }) => [id, action])).toEqual([
      [idOf('a'), 'index'],
      [idOf('b'), 'tombstone'],
      [idOf('c'), 'index'],
      [idOf('d'), 'index'],
    ]);
    expect(await visible()).toEqual(before);
    expect(await store.exists(batchKey)).toBe(true);
  });

  it('replays the current table state: newer updates win, deleted items stay deleted, the object moves to replayed/', async () => {
    // when replayed
    const { code, lines } = await cli('run', '--key', batchKey);

    // then the read alias shows a v2 (not the archived v1), no b, c v1, and d v2 (its current state)
    expect(code).toBe(0);
    const docs = await visible();
    expect(docs.get(idOf('a'))?.name).toBe('a v2');
    expect(docs.has(idOf('b'))).toBe(false);
    expect(docs.get(idOf('c'))?.name).toBe('c v1');
    expect(docs.get(idOf('d'))?.name).toBe('d v2');
    const report = lines.find((line) => line['type'] === 'object') as { status: string; counts: Record<string, number>; movedTo: string };
    expect(report.status).toBe('replayed');
    expect(report.counts).toMatchObject({ items: 4, failed: 0, skipped: 0 });
    expect((report.counts['indexed'] ?? 0) + (report.counts['deleted'] ?? 0) + (report.counts['stale'] ?? 0)).toBe(4);
    expect(report.movedTo).toBe(batchKey.replace(/^failures\//, 'replayed/'));
    expect(await store.exists(batchKey)).toBe(false);
    expect(await store.exists(report.movedTo)).toBe(true);
  });

  it('keeps b as a tombstone in the physical index (so no older write can resurrect it)', async () => {
    // when b's document is fetched from the write alias, which tombstones are not hidden from
    const { body } = await openSearch.search({ index: `${products}-write`, body: { query: { ids: { values: [idOf('b')] } } } });

    // then it is a tombstone
    expect(body.hits.hits[0]?._source).toMatchObject({ ddbSync: { deleted: true } });
  });

  it('replays the recovered records of a lost range, keeps the object and says it needs verify --repair', async () => {
    // when the lost range is replayed twice (re-running is safe)
    const first = await cli('run', '--table', table, '--reason', 'trimmed');
    const second = await cli('run', '--key', lostKey);

    // then both runs report needs-repair, c stays as it is, and the object stays in the archive
    for (const run of [first, second]) {
      expect(run.code).toBe(0);
      expect(run.lines.find((line) => line['type'] === 'object')).toMatchObject({
        key: lostKey,
        status: 'needs-repair',
        advice: expect.stringContaining('verify --repair'),
      });
    }
    expect(second.lines.find((line) => line['type'] === 'object')).toMatchObject({ counts: { indexed: 0, stale: 1 } });
    expect((await visible()).get(idOf('c'))?.name).toBe('c v1');
    expect(await store.exists(lostKey)).toBe(true);
  });

  it('rejects a key outside the archive prefix before doing anything', async () => {
    // when
    const { code } = await cli('run', '--key', 'replayed/whatever.ndjson');

    // then a usage error
    expect(code).toBe(2);
  });

  it("never writes older data over newer: a change indexed between replay's read and its write wins", async () => {
    // given an archived INSERT of e
    await put(product('e', 'e v1'));
    const { records: all } = await readChanges();
    const insertOfE = toLambdaRecord(all[all.length - 1] as _Record, { streamArn, awsRegion: endpoints.region });
    const sequence = insertOfE.dynamodb?.SequenceNumber as string;
    const key = await putArchive(
      headerFactory({
        table,
        streamArn,
        range: { start: sequence, end: sequence },
        failedAt: new Date().toISOString(),
        counts: { records: 1, expected: 1 },
        source: { messageId: 'm3', digest: messageDigest('m3'), sentAt: null, queueArn: null },
      }),
      [insertOfE],
      'shardId-race',
    );
    // ... and a table whose item e changes right after replay has read it, that change being indexed at once
    let raced = false;
    const racingDynamo = {
      send: async (command: Parameters<typeof dynamo.send>[0]) => {
        const result = await dynamo.send(command);
        if (!raced && command.constructor.name === 'GetItemCommand') {
          raced = true;
          await put(product('e', 'e v2'));
          await indexLikeTheIndexer((await readChanges(all.length)).changes);
        }
        return result;
      },
    } as unknown as typeof dynamo;

    // when replayed (it read e v1)
    const { code, lines } = await runWith(racingDynamo, 'run', '--key', key);

    // then its write of e v1 was stale and e v2 stays
    expect(code).toBe(0);
    expect(raced).toBe(true);
    expect(lines.find((line) => line['type'] === 'object')).toMatchObject({ status: 'replayed', counts: { stale: 1, indexed: 0 } });
    expect((await visible()).get(idOf('e'))?.name).toBe('e v2');
  });

  it('re-creates an index deleted by hand after this process bootstrapped it, and writes the replay there', async () => {
    // given an archived INSERT of f, and the index deleted behind the back of a client that already bootstrapped it
    await put(product('f', 'f v1'));
    const { records: all } = await readChanges();
    const insertOfF = toLambdaRecord(all[all.length - 1] as _Record, { streamArn, awsRegion: endpoints.region });
    const sequence = insertOfF.dynamodb?.SequenceNumber as string;
    const key = await putArchive(
      headerFactory({
        table,
        streamArn,
        range: { start: sequence, end: sequence },
        failedAt: new Date().toISOString(),
        counts: { records: 1, expected: 1 },
        source: { messageId: 'm4', digest: messageDigest('m4'), sentAt: null, queueArn: null },
      }),
      [insertOfF],
      'shardId-deleted-index',
    );
    const { body: aliases } = await openSearch.indices.getAlias({ name: products });
    await openSearch.indices.delete({ index: Object.keys(aliases as Record<string, unknown>) });

    // when replayed with that client (its ensureIndex check is cached)
    let text = '';
    const stdout = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) }), { isTTY: false });
    const code = await runCli(['run', '--key', key], {
      env,
      stdout,
      stderr: new Writable({ write: (_chunk, _encoding, done) => done() }),
      sync: () => sync,
      archiveStore: () => store,
      replayServices: (config) => ({ ...replayServices(config), store, dynamo, openSearch }),
    });

    // then the index is back and holds f
    const lines = text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line['type'] === 'object')).toMatchObject({ status: 'replayed', counts: { indexed: 1 } });
    expect(code).toBe(0);
    expect((await visible()).get(idOf('f'))?.name).toBe('f v1');
  });
});
