import { decodeBatch, toLambdaEvent, toLambdaRecord } from '../../src';
import { AWS_REGION, STREAM_ARN, overTheWire, sdkRecord } from '../helpers/factories';

const ctx = { streamArn: STREAM_ARN, awsRegion: AWS_REGION };

describe('toLambdaRecord', () => {
  it('produces the exact Lambda record JSON shape', () => {
    // given
    const record = sdkRecord({
      keys: { pk: { S: 'PRODUCT#p-1' }, sk: { S: 'PRODUCT' } },
      newImage: { pk: { S: 'PRODUCT#p-1' }, sk: { S: 'PRODUCT' }, price: { N: '12.5' } },
      createdAt: new Date('2026-01-01T00:00:00.750Z'),
      sequenceNumber: '111111111111111111111',
    });

    // when
    const lambdaRecord = toLambdaRecord(record, ctx);

    // then
    expect(lambdaRecord).toStrictEqual({
      eventID: 'sdk-event-1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: AWS_REGION,
      dynamodb: {
        ApproximateCreationDateTime: 1767225600,
        Keys: { pk: { S: 'PRODUCT#p-1' }, sk: { S: 'PRODUCT' } },
        NewImage: { pk: { S: 'PRODUCT#p-1' }, sk: { S: 'PRODUCT' }, price: { N: '12.5' } },
        SequenceNumber: '111111111111111111111',
        SizeBytes: 64,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: STREAM_ARN,
    });
  });

  it('turns Uint8Array binaries into base64 strings at every depth', () => {
    // given
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const record = sdkRecord({
      keys: { id: { B: bytes } },
      newImage: {
        id: { B: bytes },
        blobs: { BS: [bytes, new Uint8Array([7])] },
        nested: { M: { list: { L: [{ B: bytes }, { M: { deep: { B: new Uint8Array([9]) } } }] } } },
      },
    });

    // when
    const image = toLambdaRecord(record, ctx).dynamodb?.NewImage;

    // then
    expect(image).toStrictEqual({
      id: { B: 'AAH+/w==' },
      blobs: { BS: ['AAH+/w==', 'Bw=='] },
      nested: { M: { list: { L: [{ B: 'AAH+/w==' }, { M: { deep: { B: 'CQ==' } } }] } } },
    });
  });

  it('uses only the viewed bytes of a Uint8Array that shares a larger buffer', () => {
    // given
    const shared = new Uint8Array([1, 2, 3, 4, 5]);
    const record = sdkRecord({ keys: { id: { B: shared.subarray(1, 3) } } });

    // when
    const keys = toLambdaRecord(record, ctx).dynamodb?.Keys;

    // then
    expect(keys).toStrictEqual({ id: { B: Buffer.from([2, 3]).toString('base64') } });
  });

  it('writes userIdentity in the lower-camel-case form Lambda uses', () => {
    // given
    const record = sdkRecord({
      eventName: 'REMOVE',
      keys: { pk: { S: 'a' } },
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
    });

    // when
    const lambdaRecord = toLambdaRecord(record, ctx);

    // then
    expect(lambdaRecord.userIdentity).toStrictEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('fills awsRegion from the context when the SDK record has none', () => {
    // given
    const record = { ...sdkRecord({ keys: { pk: { S: 'a' } } }), awsRegion: undefined };

    // when
    const lambdaRecord = toLambdaRecord(record, { streamArn: STREAM_ARN, awsRegion: 'eu-west-1' });

    // then
    expect(lambdaRecord.awsRegion).toBe('eu-west-1');
  });

  it('keeps an attribute named __proto__ whose value the SDK lost, so the decoder rejects the record naming it', () => {
    // given an image as the SDK's JSON parser delivers it: the "__proto__" key is kept, its value is undefined
    const sdkImage = (): Record<string, never> => {
      const image = { pk: { S: 'proto' }, sk: { S: '1' }, nested: { M: {} } } as Record<string, unknown>;
      Object.defineProperty(image, '__proto__', { value: undefined, enumerable: true, writable: true, configurable: true });
      Object.defineProperty((image['nested'] as { M: object }).M, '__proto__', {
        value: undefined,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return image as Record<string, never>;
    };
    const record = sdkRecord({ keys: { pk: { S: 'proto' }, sk: { S: '1' } }, newImage: sdkImage() });

    // when
    const convert = (): unknown => toLambdaRecord(record, ctx);

    // then
    expect(convert).not.toThrow();
    const { changes, rejected } = decodeBatch(toLambdaEvent([toLambdaRecord(record, ctx)]));
    expect(changes).toStrictEqual([]);
    expect(rejected.map((entry) => entry.reason)).toStrictEqual([
      'invalid stream record: dynamodb.NewImage: attribute name "__proto__" (at nested.__proto__) is not supported',
    ]);
  });

  it('round trips: SDK record → Lambda shape → decodeBatch gives the original item as JSON', () => {
    // given
    const bytes = new Uint8Array([104, 105]);
    const record = sdkRecord({
      keys: { pk: { S: 'PRODUCT#p-1' }, sk: { S: 'PRODUCT' } },
      newImage: {
        pk: { S: 'PRODUCT#p-1' },
        sk: { S: 'PRODUCT' },
        price: { N: '12.5' },
        stock: { N: '12345678901234567890123' },
        tags: { SS: ['b', 'a'] },
        ratings: { NS: ['10', '-1.5', '2'] },
        blob: { B: bytes },
        blobs: { BS: [new Uint8Array([2]), new Uint8Array([1])] },
        nothing: { NULL: true },
        active: { BOOL: false },
        dims: { M: { w: { N: '3' }, parts: { L: [{ S: 'x' }, { N: '1E+2' }] } } },
      },
    });

    // when
    const event = overTheWire(toLambdaEvent([toLambdaRecord(record, ctx)]));
    const { changes, rejected } = decodeBatch(event);

    // then
    expect(rejected).toStrictEqual([]);
    expect(changes[0]?.newImage).toStrictEqual({
      pk: 'PRODUCT#p-1',
      sk: 'PRODUCT',
      price: 12.5,
      stock: '12345678901234567890123',
      tags: ['a', 'b'],
      ratings: [-1.5, 2, 10],
      blob: 'aGk=',
      blobs: ['AQ==', 'Ag=='],
      nothing: null,
      active: false,
      dims: { w: 3, parts: ['x', 100] },
    });
    expect(changes[0]?.approximateCreationSeconds).toBe(1767225600);
    expect(changes[0]?.eventSourceArn).toBe(STREAM_ARN);
  });
});

describe('toLambdaEvent', () => {
  it('wraps the records in a Records array', () => {
    // given
    const record = toLambdaRecord(sdkRecord({ keys: { pk: { S: 'a' } } }), ctx);

    // when
    const event = toLambdaEvent([record]);

    // then
    expect(event).toStrictEqual({ Records: [record] });
  });
});
