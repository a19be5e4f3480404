import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Client, uniqueName } from '@ddb-os/testing';
import { encodeArchive, messageDigest, metadataOf, S3ArchiveStore } from '../../src';
import { headerFactory, lambdaRecordFactory } from '../helpers/factories';
import { deleteBucket } from '../helpers/stack';

jest.setTimeout(30_000);

describe('S3ArchiveStore against the local S3 server', () => {
  const s3 = s3Client();
  const bucket = uniqueName('archive-store');
  const store = new S3ArchiveStore(s3, bucket);
  const key = 'failures/orders/2026/03/04/poison/5-5.ndjson';

  const archiveOf = (body: string) => {
    const header = headerFactory({
      kind: 'poison-record',
      source: { messageId: 'm', digest: messageDigest(body), sentAt: null, queueArn: null },
    });
    return { header, records: [lambdaRecordFactory('5')] };
  };

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    await deleteBucket(s3, bucket);
  });

  it('writes once per message: the same message again is a duplicate, nothing is overwritten', async () => {
    // given a message archived once
    const archive = archiveOf('message A');
    const first = await store.putOnce(key, encodeArchive(archive, { gzip: false }), metadataOf(archive.header));

    // when the same message is archived again, with a later archivedAt
    const again = { ...archive, header: { ...archive.header, archivedAt: '2030-01-01T00:00:00.000Z' } };
    const second = await store.putOnce(key, encodeArchive(again, { gzip: false }), metadataOf(again.header));

    // then the first write stands
    expect(first).toEqual({ outcome: 'written', key });
    expect(second).toEqual({ outcome: 'duplicate', key });
    expect((await store.read(key)).header.archivedAt).toBe(archive.header.archivedAt);
    expect(await store.findArchived(key, archive.header.source.digest)).toBe(key);
  });

  it('keeps a different message that maps to the same key under its digest-suffixed key', async () => {
    // given another message for the same key
    const other = archiveOf('message B');

    // when archived
    const result = await store.putOnce(key, encodeArchive(other, { gzip: false }), metadataOf(other.header));

    // then both exist, neither lost
    expect(result.outcome).toBe('written');
    expect(result.key).toBe(`failures/orders/2026/03/04/poison/5-5.${other.header.source.digest.slice(0, 16)}.ndjson`);
    expect((await store.read(result.key)).header.source.digest).toBe(other.header.source.digest);
    expect(await store.findArchived(key, other.header.source.digest)).toBe(result.key);
  });

  it('lets exactly one of two concurrent writers of the same key win (If-None-Match)', async () => {
    // given two deliveries of one message racing
    const raceKey = 'failures/orders/2026/03/04/poison/6-6.ndjson';
    const archive = archiveOf('message C');
    const body = encodeArchive(archive, { gzip: true });

    // when both write at once
    const results = await Promise.all([
      store.putOnce(raceKey, body, metadataOf(archive.header)),
      store.putOnce(raceKey, body, metadataOf(archive.header)),
    ]);

    // then one wrote and the other saw a duplicate (or both saw the same single object)
    expect(results.filter((result) => result.outcome === 'written').length).toBeLessThanOrEqual(1);
    expect(new Set(results.map((result) => result.key))).toEqual(new Set([raceKey]));
    const listed: string[] = [];
    for await (const object of store.list('failures/orders/2026/03/04/poison/6-6')) listed.push(object.key);
    expect(listed).toEqual([raceKey]);
  });

  it('moves an object with its metadata and reads its metadata without downloading it', async () => {
    // given the first object
    const target = 'replayed/orders/2026/03/04/poison/5-5.ndjson';

    // when moved
    await store.move(key, target);

    // then it is only at the target, metadata intact
    expect(await store.exists(key)).toBe(false);
    expect(await store.readMetadata(target)).toMatchObject({
      kind: 'poison-record',
      table: 'orders',
      records: 1,
      reason: 'RetryAttemptsExhausted',
    });
  });
});
