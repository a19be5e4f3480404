import { InvalidExportError } from '../../src/errors';
import { parseExportLine, parseS3Url } from '../../src/export-source';
import { decodeKey, encodeKey } from '../../src/table-scan';

describe('Scan positions', () => {
  it('round-trips a LastEvaluatedKey through the checkpoint JSON, binary included', () => {
    // given
    const key = { pk: { S: 'PRODUCT#1' }, sk: { N: '42' }, bin: { B: Uint8Array.from([0, 255, 7]) } };
    // when
    const json = JSON.parse(JSON.stringify(encodeKey(key)));
    // then
    expect(json).toEqual({ pk: { S: 'PRODUCT#1' }, sk: { N: '42' }, bin: { B: 'AP8H' } });
    const decoded = decodeKey(json);
    expect(decoded['pk']).toEqual({ S: 'PRODUCT#1' });
    expect(decoded['sk']).toEqual({ N: '42' });
    expect([...(decoded['bin']?.B ?? [])]).toEqual([0, 255, 7]);
  });

  it('rejects a position that is not a key', () => {
    expect(() => decodeKey(12)).toThrow(/must be a key object/);
    expect(() => decodeKey({ pk: { L: [] } })).toThrow(/key attribute "pk" .* is not \{S\|N\|B\}/);
  });
});

describe('DynamoDB export input', () => {
  it('splits an s3:// URL into bucket and prefix', () => {
    expect(parseS3Url('s3://exports/orders/AWSDynamoDB/0170-abc/')).toEqual({ bucket: 'exports', prefix: 'orders/AWSDynamoDB/0170-abc' });
    expect(parseS3Url('s3://exports')).toEqual({ bucket: 'exports', prefix: '' });
    expect(() => parseS3Url('https://exports/x')).toThrow(InvalidExportError);
  });

  it('reads the Item of a DYNAMODB_JSON line and explains a line that is not one', () => {
    expect(parseExportLine('{"Item":{"pk":{"S":"a"},"n":{"N":"1.50"}}}')).toEqual({ item: { pk: { S: 'a' }, n: { N: '1.50' } } });
    expect(parseExportLine('{"Item":')).toEqual({ reason: expect.stringMatching(/^not JSON/) });
    expect(parseExportLine('{"Keys":{}}')).toEqual({ reason: 'no "Item" object' });
  });
});
