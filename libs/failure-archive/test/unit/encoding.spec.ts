import { gunzipSync } from 'node:zlib';
import { decodeArchive, encodeArchive, MalformedArchiveError, messageDigest } from '../../src';
import { headerFactory, lambdaRecordFactory } from '../helpers/factories';

describe('encodeArchive / decodeArchive', () => {
  it('writes the header first, then one record per line', () => {
    // given a header and two records
    const records = [lambdaRecordFactory('150'), lambdaRecordFactory('160')];
    const header = headerFactory({ counts: { records: 2, expected: 2 } });

    // when encoded without gzip
    const text = encodeArchive({ header, records }, { gzip: false }).toString('utf8');

    // then it is three JSON lines, newline-terminated
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual(header);
    expect(JSON.parse(lines[2] as string)).toEqual(records[1]);
  });

  it('round-trips through gzip and keeps exact numbers as DynamoDB strings', () => {
    // given a record with a number a double cannot hold
    const archive = { header: headerFactory(), records: [lambdaRecordFactory('150')] };

    // when gzip-encoded and decoded
    const body = encodeArchive(archive, { gzip: true });
    const decoded = decodeArchive(body);

    // then the bytes are gzip and the content is unchanged
    expect(gunzipSync(body).toString('utf8').startsWith('{"formatVersion":1')).toBe(true);
    expect(decoded).toEqual(archive);
    expect(JSON.stringify(decoded.records[0])).toContain('"12345678901234567890.5"');
  });

  it('rejects an empty object', () => {
    // when / then
    expect(() => decodeArchive(new Uint8Array())).toThrow(new MalformedArchiveError(1, 'the object is empty (no header line)'));
  });

  it('names the bad header field', () => {
    // given a header without a kind
    const { kind: _kind, ...headerWithoutKind } = headerFactory();
    const body = Buffer.from(`${JSON.stringify(headerWithoutKind)}\n`);

    // when / then
    expect(() => decodeArchive(body)).toThrow(/line 1: bad header: kind:/);
  });

  it('names a line that is not JSON', () => {
    // given a broken second line
    const body = Buffer.from(`${JSON.stringify(headerFactory())}\n{not json\n`);

    // when / then
    expect(() => decodeArchive(body)).toThrow(/line 2: not JSON/);
  });

  it('detects a truncated object by its record count', () => {
    // given a header that counts 2 records and only one line
    const body = encodeArchive(
      { header: headerFactory({ counts: { records: 2, expected: 2 } }), records: [lambdaRecordFactory()] },
      { gzip: false },
    );

    // when / then
    expect(() => decodeArchive(body)).toThrow('header counts 2 records but the object has 1');
  });
});

describe('messageDigest', () => {
  it('is the same for the same body and differs for another', () => {
    // when / then
    expect(messageDigest('{"a":1}')).toBe(messageDigest('{"a":1}'));
    expect(messageDigest('{"a":1}')).not.toBe(messageDigest('{"a":2}'));
    expect(messageDigest('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
