import { archiveKey, disambiguatedKey, InvalidArchiveKeyPartError, parseArchiveKey, rangeName, replayedKey } from '../../src';

describe('archiveKey', () => {
  const failedAt = new Date('2026-03-04T23:59:59.999Z');

  it('lays out table, UTC day, partition and range', () => {
    // given the parts of a failed shard range
    const parts = {
      prefix: 'failures/',
      table: 'orders',
      failedAt,
      partition: 'shardId-0001',
      name: rangeName({ start: '100', end: '200' }),
      gzip: false,
    };

    // when the key is built
    const key = archiveKey(parts);

    // then it follows the documented scheme
    expect(key).toBe('failures/orders/2026/03/04/shardId-0001/100-200.ndjson');
  });

  it('adds .gz for gzip objects and a missing trailing slash to the prefix', () => {
    // given a prefix without slash and gzip on
    // when the key is built
    const key = archiveKey({ prefix: 'archive/failures', table: 'orders', failedAt, partition: 'poison', name: '7-7', gzip: true });

    // then both are handled
    expect(key).toBe('archive/failures/orders/2026/03/04/poison/7-7.ndjson.gz');
  });

  it('uses _unknown when the table is not known', () => {
    // given no table
    // when the key is built
    const key = archiveKey({ prefix: 'failures/', table: null, failedAt, partition: 'unparseable', name: 'abc', gzip: false });

    // then the table segment says so
    expect(key).toBe('failures/_unknown/2026/03/04/unparseable/abc.ndjson');
  });

  it('is deterministic: the same parts give the same key', () => {
    // given the same parts twice
    const parts = { prefix: 'failures/', table: 't', failedAt, partition: 's', name: '1-2', gzip: false };

    // when built twice
    // then the keys are equal
    expect(archiveKey(parts)).toBe(archiveKey({ ...parts, failedAt: new Date(failedAt.getTime()) }));
  });

  it.each([
    ['table', { table: 'a/b' }],
    ['partition', { partition: '' }],
    ['name', { name: '..' }],
  ])('rejects a %s that would break the layout', (part, override) => {
    // given a bad part
    const parts = { prefix: 'failures/', table: 't', failedAt, partition: 's', name: '1-2', gzip: false, ...override };

    // when / then the error names the part
    expect(() => archiveKey(parts)).toThrow(InvalidArchiveKeyPartError);
    expect(() => archiveKey(parts)).toThrow(`"${part}"`);
  });
});

describe('parseArchiveKey', () => {
  it('reads back what archiveKey wrote', () => {
    // given a gzip range key
    const key = 'failures/orders/2026/03/04/shardId-0001/100-200.ndjson.gz';

    // when parsed
    const parsed = parseArchiveKey(key, 'failures/');

    // then every part is recovered
    expect(parsed).toEqual({
      table: 'orders',
      day: '2026-03-04',
      partition: 'shardId-0001',
      name: '100-200',
      range: { start: '100', end: '200' },
      gzip: true,
    });
  });

  it('reads the range of a digest-suffixed key and no range from a digest name', () => {
    // given a disambiguated key and an unparseable one
    const suffixed = parseArchiveKey('failures/t/2026/03/04/poison/5-5.0123abcd.ndjson', 'failures/');
    const digestOnly = parseArchiveKey('failures/t/2026/03/04/unparseable/0123abcd.ndjson', 'failures/');

    // then
    expect(suffixed?.range).toEqual({ start: '5', end: '5' });
    expect(digestOnly?.range).toBeNull();
  });

  it.each([
    'other/t/2026/03/04/s/1-2.ndjson',
    'failures/t/2026/03/s/1-2.ndjson',
    'failures/t/2026/03/04/s/1-2.json',
    'failures/t/26/03/04/s/1-2.ndjson',
  ])('returns undefined for a key outside the scheme: %s', (key) => {
    // when / then
    expect(parseArchiveKey(key, 'failures/')).toBeUndefined();
  });
});

describe('disambiguatedKey and replayedKey', () => {
  it('inserts 16 digest characters before the extension', () => {
    // when
    const key = disambiguatedKey('failures/t/2026/03/04/poison/5-5.ndjson.gz', 'ab12cd34ef56ab78ffffffff');

    // then
    expect(key).toBe('failures/t/2026/03/04/poison/5-5.ab12cd34ef56ab78.ndjson.gz');
  });

  it('maps a failure key under the replayed prefix', () => {
    // when
    const key = replayedKey('failures/t/2026/03/04/poison/5-5.ndjson', 'failures/', 'replayed/');

    // then
    expect(key).toBe('replayed/t/2026/03/04/poison/5-5.ndjson');
  });

  it('refuses a key outside the archive prefix', () => {
    // when / then
    expect(() => replayedKey('other/x.ndjson', 'failures/', 'replayed/')).toThrow('not under the archive prefix failures/');
  });
});
