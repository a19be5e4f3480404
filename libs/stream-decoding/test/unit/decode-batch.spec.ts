import { InvalidOptionError, MalformedEventError, decodeBatch, decodeRecord } from '../../src';
import {
  STREAM_ARN,
  insertRecord,
  insertWith,
  malformed,
  modifyRecord,
  productKeys,
  removeRecord,
  streamEvent,
  ttlRemoveRecord,
} from '../helpers/factories';

describe('decodeBatch: valid records', () => {
  it('decodes INSERT, MODIFY and REMOVE with every field of the change', () => {
    // given
    const insert = insertRecord({ eventID: 'e-1', sequenceNumber: '100000000000000000001' });
    const modify = modifyRecord({ eventID: 'e-2', sequenceNumber: '100000000000000000002' });
    const remove = removeRecord({ eventID: 'e-3', sequenceNumber: '100000000000000000003' });

    // when
    const { changes, rejected } = decodeBatch(streamEvent(insert, modify, remove));

    // then
    expect(rejected).toStrictEqual([]);
    expect(changes.map((change) => [change.eventName, change.eventId, change.sequenceNumber])).toStrictEqual([
      ['INSERT', 'e-1', '100000000000000000001'],
      ['MODIFY', 'e-2', '100000000000000000002'],
      ['REMOVE', 'e-3', '100000000000000000003'],
    ]);
    expect(changes[1]).toStrictEqual({
      eventName: 'MODIFY',
      eventId: 'e-2',
      eventSourceArn: STREAM_ARN,
      sequenceNumber: '100000000000000000002',
      approximateCreationSeconds: 1767225600,
      keys: { pk: 'PRODUCT#p-1', sk: 'PRODUCT' },
      newImage: { pk: 'PRODUCT#p-1', sk: 'PRODUCT', entityType: 'product', productId: 'p-1', name: 'Lamp', price: 12.5 },
      oldImage: { pk: 'PRODUCT#p-1', sk: 'PRODUCT', entityType: 'product', productId: 'p-1', name: 'Lamp', price: 10 },
      isTtlDelete: false,
      raw: modify,
    });
    expect(changes[2]?.newImage).toBeUndefined();
  });

  it('keeps raw as the very object received', () => {
    // given
    const record = insertRecord();

    // when
    const { changes } = decodeBatch(streamEvent(record));

    // then
    expect(changes[0]?.raw).toBe(record);
  });

  it('floors a fractional ApproximateCreationDateTime', () => {
    // given
    const record = insertRecord({ approximateCreationDateTime: 1767225600.999 });

    // when
    const { changes } = decodeBatch(streamEvent(record));

    // then
    expect(changes[0]?.approximateCreationSeconds).toBe(1767225600);
  });

  it('accepts a REMOVE without OldImage (KEYS are enough to delete)', () => {
    // given
    const record = malformed(removeRecord(), (copy) => {
      delete (copy['dynamodb'] as Record<string, unknown>)['OldImage'];
    });

    // when
    const { changes, rejected } = decodeBatch(streamEvent(record));

    // then
    expect(rejected).toStrictEqual([]);
    expect(changes[0]?.oldImage).toBeUndefined();
    expect(changes[0]?.keys).toStrictEqual({ pk: 'PRODUCT#p-1', sk: 'PRODUCT' });
  });

  it('returns empty lists for an empty batch', () => {
    expect(decodeBatch({ Records: [] })).toStrictEqual({ changes: [], rejected: [] });
  });
});

describe('decodeBatch: TTL deletes', () => {
  it('flags a REMOVE by the dynamodb.amazonaws.com service principal', () => {
    // when
    const { changes } = decodeBatch(streamEvent(ttlRemoveRecord(), removeRecord()));

    // then
    expect(changes.map((change) => change.isTtlDelete)).toStrictEqual([true, false]);
  });

  it('does not flag a REMOVE by another principal or a non-REMOVE with the service identity', () => {
    // given
    const userDelete = removeRecord({ userIdentity: { type: 'Service', principalId: 'someone.amazonaws.com' } });
    const insertByService = insertRecord({ userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } });

    // when
    const { changes } = decodeBatch(streamEvent(userDelete, insertByService));

    // then
    expect(changes.map((change) => change.isTtlDelete)).toStrictEqual([false, false]);
  });
});

describe('decodeBatch: number policies', () => {
  const record = insertWith({ stock: { N: '123456789012345678901234567890' }, price: { N: '19.99' } });

  it("keeps unsafe numbers as exact decimal strings under 'string' (the default)", () => {
    // when
    const { changes } = decodeBatch(streamEvent(record));

    // then
    expect(changes[0]?.newImage).toMatchObject({ stock: '123456789012345678901234567890', price: 19.99 });
  });

  it("rejects the record, naming the attribute, under 'reject' while neighbours decode", () => {
    // given
    const neighbour = insertRecord({ eventID: 'fine' });

    // when
    const { changes, rejected } = decodeBatch(streamEvent(record, neighbour), { numberPolicy: 'reject' });

    // then
    expect(changes.map((change) => change.eventId)).toStrictEqual(['fine']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBe(
      "Number at NewImage.stock (123456789012345678901234567890) cannot be held exactly by a JS number and numberPolicy is 'reject'",
    );
    expect(rejected[0]?.raw).toBe(record);
  });
});

describe('decodeBatch: malformed records', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', 'hello', 'invalid stream record: (record): Invalid input: expected object, received string'],
    [
      'unknown eventName',
      malformed(insertRecord(), (copy) => {
        copy['eventName'] = 'UPSERT';
      }),
      'invalid stream record: eventName: Invalid option: expected one of "INSERT"|"MODIFY"|"REMOVE"',
    ],
    [
      'missing eventID',
      malformed(insertRecord(), (copy) => {
        delete copy['eventID'];
      }),
      'invalid stream record: eventID: Invalid input: expected string, received undefined',
    ],
    [
      'sequence number with letters',
      malformed(insertRecord(), (copy) => {
        (copy['dynamodb'] as Record<string, unknown>)['SequenceNumber'] = '12ab';
      }),
      'invalid stream record: dynamodb.SequenceNumber: expected a string of 1 to 40 decimal digits, got "12ab"',
    ],
    [
      'timestamp as text',
      malformed(insertRecord(), (copy) => {
        (copy['dynamodb'] as Record<string, unknown>)['ApproximateCreationDateTime'] = '2026-01-01';
      }),
      'invalid stream record: dynamodb.ApproximateCreationDateTime: expected epoch seconds as a number',
    ],
    [
      'N that is not a number',
      insertWith({ price: { N: 'twelve' } }),
      'invalid stream record: dynamodb.NewImage.price.N: expected a decimal number string such as "12.5" or "1E+2", got "twelve"',
    ],
    [
      'AttributeValue with two types',
      insertWith({ price: { N: '1', S: '1' } } as never),
      'invalid stream record: dynamodb.NewImage.price: an AttributeValue must have exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL; found N, S',
    ],
    [
      'AttributeValue with no type',
      insertWith({ price: {} } as never),
      'invalid stream record: dynamodb.NewImage.price: an AttributeValue must have exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL; found none',
    ],
    [
      'unknown type tag deep in a list',
      insertWith({ parts: { L: [{ S: 'ok' }, { X: 'y' }] } } as never),
      'invalid stream record: dynamodb.NewImage.parts.L[1]: unknown AttributeValue type "X"; expected exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL',
    ],
    [
      'binary that is not base64',
      insertWith({ blob: { B: 'not base64!' } }),
      'invalid stream record: dynamodb.NewImage.blob.B: expected binary data: base64 text (Lambda events) or a Uint8Array (SDK records)',
    ],
    [
      'eventSource of another service',
      malformed(insertRecord(), (copy) => {
        copy['eventSource'] = 'aws:kinesis';
      }),
      'invalid stream record: eventSource: Invalid input: expected "aws:dynamodb"',
    ],
    [
      'INSERT without NewImage (KEYS_ONLY stream)',
      malformed(insertRecord(), (copy) => {
        const body = copy['dynamodb'] as Record<string, unknown>;
        delete body['NewImage'];
        body['StreamViewType'] = 'KEYS_ONLY';
      }),
      'INSERT record has no dynamodb.NewImage: the stream must use StreamViewType NEW_AND_OLD_IMAGES (this record says KEYS_ONLY)',
    ],
    [
      'MODIFY without NewImage',
      malformed(modifyRecord(), (copy) => {
        delete (copy['dynamodb'] as Record<string, unknown>)['NewImage'];
      }),
      'MODIFY record has no dynamodb.NewImage: the stream must use StreamViewType NEW_AND_OLD_IMAGES (this record says NEW_AND_OLD_IMAGES)',
    ],
    [
      'REMOVE without Keys',
      malformed(removeRecord(), (copy) => {
        const body = copy['dynamodb'] as Record<string, unknown>;
        delete body['Keys'];
        delete body['StreamViewType'];
      }),
      'REMOVE record has no dynamodb.Keys: the stream must use StreamViewType NEW_AND_OLD_IMAGES',
    ],
    [
      'attribute named __proto__',
      JSON.parse(JSON.stringify(insertRecord()).replace('"name":{"S":"Lamp"}', '"__proto__":{"S":"Lamp"}')) as unknown,
      'invalid stream record: dynamodb.NewImage: attribute name "__proto__" (at __proto__) is not supported',
    ],
  ];

  it.each(cases)('rejects a record with %s, naming the problem, while neighbours decode', (_case, bad, reason) => {
    // given
    const before = insertRecord({ eventID: 'before', keys: productKeys('a') });
    const after = removeRecord({ eventID: 'after', keys: productKeys('b') });

    // when
    const { changes, rejected } = decodeBatch(streamEvent(before, bad, after));

    // then
    expect(changes.map((change) => change.eventId)).toStrictEqual(['before', 'after']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBe(reason);
    expect(rejected[0]?.raw).toBe(bad);
  });

  it('reports every problem of a record at once', () => {
    // given
    const bad = malformed(insertRecord(), (copy) => {
      copy['eventName'] = 'PUT';
      (copy['dynamodb'] as Record<string, unknown>)['SequenceNumber'] = 5;
    });

    // when
    const { rejected } = decodeBatch(streamEvent(bad));

    // then
    expect(rejected[0]?.reason).toBe(
      'invalid stream record: eventName: Invalid option: expected one of "INSERT"|"MODIFY"|"REMOVE"; ' +
        'dynamodb.SequenceNumber: Invalid input: expected string, received number',
    );
  });

  it('carries whatever sequence number and event id could be read', () => {
    // given
    const readable = malformed(insertRecord({ eventID: 'e-9', sequenceNumber: '100000000000000000009' }), (copy) => {
      copy['eventName'] = 'PUT';
    });
    const unreadable = { dynamodb: { SequenceNumber: 7 } };

    // when
    const { rejected } = decodeBatch(streamEvent(readable, unreadable));

    // then
    expect(rejected.map(({ sequenceNumber, eventId }) => ({ sequenceNumber, eventId }))).toStrictEqual([
      { sequenceNumber: '100000000000000000009', eventId: 'e-9' },
      { sequenceNumber: undefined, eventId: undefined },
    ]);
  });

  it('tolerates fields AWS may add later', () => {
    // given
    const record = { ...insertRecord(), futureField: { anything: 1 } };

    // when
    const { changes, rejected } = decodeBatch(streamEvent(record));

    // then
    expect(rejected).toStrictEqual([]);
    expect(changes).toHaveLength(1);
  });
});

describe('decodeBatch: malformed events', () => {
  it.each([
    ['null', null, 'Malformed DynamoDB Streams event: expected an object with a Records array, got null'],
    ['a string', 'x', 'Malformed DynamoDB Streams event: expected an object with a Records array, got string'],
    ['no Records', {}, 'Malformed DynamoDB Streams event: the event has no Records array'],
    ['Records not an array', { Records: {} }, 'Malformed DynamoDB Streams event: the event has no Records array'],
  ])('throws MalformedEventError for %s', (_case, event, message) => {
    // when
    const decode = (): unknown => decodeBatch(event);

    // then
    expect(decode).toThrow(MalformedEventError);
    expect(decode).toThrow(message);
  });
});

describe('decodeBatch: options', () => {
  it('throws InvalidOptionError for an unknown numberPolicy instead of guessing', () => {
    // when
    const decode = (): unknown => decodeBatch(streamEvent(insertRecord()), { numberPolicy: 'lossy' as never });

    // then
    expect(decode).toThrow(InvalidOptionError);
  });

  it('accepts SDK-shaped binaries (Uint8Array, Buffer) in the images as well', () => {
    // given
    const record = insertWith({ blob: { B: 'AA==' } });
    (record.dynamodb?.NewImage as Record<string, unknown>)['blob'] = { B: Buffer.from([1, 2]) };

    // when
    const { changes, rejected } = decodeBatch(streamEvent(record));

    // then
    expect(rejected).toStrictEqual([]);
    expect(changes[0]?.newImage?.['blob']).toBe('AQI=');
  });
});

describe('decodeRecord', () => {
  it('returns the change or the rejection for one record', () => {
    // when
    const good = decodeRecord(insertRecord({ eventID: 'ok' }));
    const bad = decodeRecord({ eventID: 'nope' });

    // then
    expect(good.ok && good.change.eventId).toBe('ok');
    expect(!bad.ok && bad.rejected.eventId).toBe('nope');
  });
});
