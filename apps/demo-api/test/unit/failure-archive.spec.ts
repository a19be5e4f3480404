import type { Archive, ArchiveHeader, ArchiveObjectSummary } from '@ddb-os/failure-archive';
import { ArchiveFailures, archivedFailure } from '../../src/backends/failure-archive';

const PREFIX = 'failures/';
const TABLE = 'demo-items';

function anArchive(overrides: Partial<ArchiveHeader> = {}, records: unknown[] = [aStreamRecord('p-1')]): Archive {
  return {
    header: {
      formatVersion: 1,
      kind: 'poison-record',
      reason: 'price: expected number, received string',
      failedAt: '2026-03-01T12:00:00.000Z',
      archivedAt: '2026-03-01T12:00:01.000Z',
      table: TABLE,
      streamArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}/stream/x`,
      shardId: 'shardId-1',
      range: { start: '100', end: '100' },
      lost: null,
      counts: { records: records.length, expected: null },
      source: { messageId: 'm-1', digest: 'd', sentAt: null, queueArn: `arn:aws:sqs:us-east-1:000000000000:${TABLE}-dlq` },
      details: {},
      ...overrides,
    },
    records,
  };
}

function aStreamRecord(productId: string): unknown {
  return {
    eventName: 'INSERT',
    dynamodb: {
      Keys: { pk: { S: `PRODUCT#${productId}` }, sk: { S: 'PRODUCT' } },
      NewImage: { price: { S: 'twelve' } },
      SequenceNumber: '100',
    },
  };
}

/** An archive store over a map of key → archive, listing by prefix like S3. */
function storeOf(objects: Record<string, Archive>) {
  return {
    async *list(prefix: string): AsyncGenerator<ArchiveObjectSummary> {
      for (const key of Object.keys(objects).sort()) if (key.startsWith(prefix)) yield { key, size: 1, lastModified: undefined };
    },
    async read(key: string): Promise<Archive> {
      const archive = objects[key];
      if (!archive) throw new Error(`no object ${key}`);
      return archive;
    },
  };
}

describe('ArchiveFailures', () => {
  it("lists the table's archived failures newest first, with their item keys decoded", async () => {
    // given
    const older = `${PREFIX}${TABLE}/2026/03/01/poison/100-100.ndjson`;
    const newer = `${PREFIX}${TABLE}/2026/03/02/shardId-1/200-300.ndjson`;
    const store = storeOf({
      [older]: anArchive(),
      [newer]: anArchive(
        {
          kind: 'stream-batch',
          reason: 'RetryAttemptsExhausted',
          failedAt: '2026-03-02T00:00:00.000Z',
          range: { start: '200', end: '300' },
        },
        [aStreamRecord('p-2'), aStreamRecord('p-3'), aStreamRecord('p-2')],
      ),
      [`${PREFIX}another-table/2026/03/01/poison/1-1.ndjson`]: anArchive({ table: 'another-table' }),
      [`${PREFIX}${TABLE}/not-an-archive-object.txt`]: anArchive(),
    });

    // when
    const failures = await new ArchiveFailures({ store, prefix: PREFIX, tableName: TABLE }).list();

    // then
    expect(failures.map((failure) => failure.key)).toEqual([newer, older]);
    expect(failures[0]).toMatchObject({
      kind: 'stream-batch',
      reason: 'RetryAttemptsExhausted',
      sequenceNumbers: { start: '200', end: '300' },
    });
    expect(failures[0]?.itemKeys).toEqual([
      { pk: 'PRODUCT#p-2', sk: 'PRODUCT' },
      { pk: 'PRODUCT#p-3', sk: 'PRODUCT' },
    ]);
    expect(failures[1]).toEqual({
      key: older,
      kind: 'poison-record',
      table: TABLE,
      reason: 'price: expected number, received string',
      sequenceNumbers: { start: '100', end: '100' },
      failedAt: '2026-03-01T12:00:00.000Z',
      archivedAt: '2026-03-01T12:00:01.000Z',
      itemKeys: [{ pk: 'PRODUCT#p-1', sk: 'PRODUCT' }],
    });
  });

  it('owns only archive keys of its own table', () => {
    const failures = new ArchiveFailures({ store: storeOf({}), prefix: PREFIX, tableName: TABLE });
    expect(failures.owns(`${PREFIX}${TABLE}/2026/03/01/poison/100-100.ndjson`)).toBe(true);
    expect(failures.owns(`${PREFIX}another-table/2026/03/01/poison/100-100.ndjson`)).toBe(false);
    expect(failures.owns(`${PREFIX}${TABLE}-2/2026/03/01/poison/100-100.ndjson`)).toBe(false);
    expect(failures.owns(`${PREFIX}${TABLE}/2026/03/01/poison/100-100.txt`)).toBe(false);
    expect(failures.owns(`replayed/${TABLE}/2026/03/01/poison/100-100.ndjson`)).toBe(false);
  });
});

describe('archivedFailure', () => {
  it('shows keys that do not decode as they were archived instead of hiding them', () => {
    // given: a record whose key is not an AttributeValue map
    const archive = anArchive({}, [{ dynamodb: { Keys: { pk: { Q: 'odd' } } } }, { dynamodb: {} }, null]);

    // when
    const failure = archivedFailure('k', archive);

    // then
    expect(failure.itemKeys).toEqual([{ pk: { Q: 'odd' } }]);
  });
});
