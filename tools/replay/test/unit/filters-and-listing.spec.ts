import type { ArchiveMetadata, ArchiveObjectSummary } from '@ddb-os/failure-archive';
import { InvalidReplayOptionError } from '../../src/errors';
import { keyMatches, listingPrefix, metadataMatches, parseDay } from '../../src/filters';
import { listArchive, summarize } from '../../src/listing';
import { formatSummary } from '../../src/output';
import { entryFactory } from '../helpers/factories';

const metadata = (overrides: Partial<ArchiveMetadata> = {}): ArchiveMetadata => ({
  kind: 'stream-batch',
  reason: 'RetryAttemptsExhausted',
  table: 'orders',
  records: 2,
  digest: 'd',
  failedAt: '2026-03-04T00:00:00Z',
  lostCondition: null,
  ...overrides,
});

describe('filters', () => {
  it('accepts calendar days only', () => {
    // when / then
    expect(parseDay('--since', '2026-02-28')).toBe('2026-02-28');
    expect(() => parseDay('--since', '2026-02-30')).toThrow(InvalidReplayOptionError);
    expect(() => parseDay('--until', '04/03/2026')).toThrow(
      'Option --until "04/03/2026" is invalid: expected a calendar day as yyyy-mm-dd',
    );
  });

  it('narrows the listing to a table folder', () => {
    // when / then
    expect(listingPrefix('failures/', { table: 'orders' })).toBe('failures/orders/');
    expect(listingPrefix('failures', {})).toBe('failures/');
  });

  it('matches table and inclusive day bounds on the key', () => {
    // given a key of 2026-03-04
    const parsed = { table: 'orders', day: '2026-03-04', partition: 'p', name: '1-2', range: null, gzip: false };

    // when / then
    expect(keyMatches(parsed, { since: '2026-03-04', until: '2026-03-04' })).toBe(true);
    expect(keyMatches(parsed, { since: '2026-03-05' })).toBe(false);
    expect(keyMatches(parsed, { until: '2026-03-03' })).toBe(false);
    expect(keyMatches(parsed, { table: 'other' })).toBe(false);
  });

  it('matches the reason filter on reason, kind and lost condition, case-insensitively', () => {
    // when / then
    expect(metadataMatches(metadata({ reason: 'mapper_parsing_exception: x' }), { reason: 'MAPPER_PARSING' })).toBe(true);
    expect(metadataMatches(metadata({ kind: 'lost-range', lostCondition: 'trimmed' }), { reason: 'trimmed' })).toBe(true);
    expect(metadataMatches(metadata(), { reason: 'poison' })).toBe(false);
  });
});

describe('listArchive and summarize', () => {
  it('lists archive objects with their metadata, filtering, and reports foreign keys', async () => {
    // given a bucket with two archive objects (different days), one foreign object and one without metadata
    const objects: ArchiveObjectSummary[] = [
      { key: 'failures/orders/2026/03/04/shardId-1/1-2.ndjson', size: 10, lastModified: undefined },
      { key: 'failures/orders/2026/03/09/poison/5-5.ndjson.gz', size: 20, lastModified: undefined },
      { key: 'failures/README.txt', size: 1, lastModified: undefined },
      { key: 'failures/orders/2026/03/09/shardId-1/3-4.ndjson', size: 5, lastModified: undefined },
    ];
    const store = {
      async *list() {
        yield* objects;
      },
      async readMetadata(key: string) {
        if (key.endsWith('3-4.ndjson')) throw new Error('no metadata');
        return key.includes('/poison/') ? metadata({ kind: 'poison-record', reason: 'mapper_parsing_exception', records: 1 }) : metadata();
      },
    };

    // when listed since 2026-03-05
    const { entries, foreign } = await listArchive(store, 'failures/', { since: '2026-03-05' });

    // then only the poison object passes, and the foreign ones are named
    expect(entries).toEqual([
      entryFactory({
        key: objects[1]?.key,
        day: '2026-03-09',
        partition: 'poison',
        kind: 'poison-record',
        reason: 'mapper_parsing_exception',
        records: 1,
        size: 20,
      }),
    ]);
    expect(foreign).toEqual(['failures/README.txt', 'failures/orders/2026/03/09/shardId-1/3-4.ndjson']);
  });

  it('counts by table, reason (with lost condition), kind and day, and calls out lost ranges', () => {
    // given three entries, one a lost range
    const lost = entryFactory({
      key: 'failures/t2/2026/03/05/s/7-9.ndjson',
      table: 't2',
      day: '2026-03-05',
      kind: 'lost-range',
      lostCondition: 'trimmed',
      records: 0,
    });
    const entries = [
      entryFactory(),
      entryFactory({ key: 'failures/orders/2026/03/04/poison/5-5.ndjson', kind: 'poison-record', reason: 'bad doc', records: 1 }),
      lost,
    ];

    // when summarised
    const summary = summarize(entries);

    // then
    expect(summary).toMatchObject({
      objects: 3,
      records: 3,
      byTable: { orders: 2, t2: 1 },
      byKind: { 'lost-range': 1, 'poison-record': 1, 'stream-batch': 1 },
      byReason: { RetryAttemptsExhausted: 1, 'RetryAttemptsExhausted (lost: trimmed)': 1, 'bad doc': 1 },
      byDay: { '2026-03-04': 2, '2026-03-05': 1 },
      lostRanges: [lost],
    });
    expect(formatSummary(summary).join('\n')).toMatch(
      /LOST RANGES \(1\).*verify --repair[\s\S]*failures\/t2\/2026\/03\/05\/s\/7-9\.ndjson {2}\[trimmed\]/,
    );
  });
});
