import {
  InvalidNumberError,
  InvalidOptionError,
  UnsafeNumberError,
  UnsupportedAttributeNameError,
  UnsupportedAttributeValueError,
  toJsonSafe,
  type AnyAttributeValue,
} from '../../src';

function decodeAttribute(value: AnyAttributeValue, numberPolicy: 'string' | 'reject' = 'string'): unknown {
  return toJsonSafe({ value }, { numberPolicy })['value'];
}

describe('toJsonSafe: one DynamoDB type at a time', () => {
  it.each([
    ['S', { S: 'héllo' }, 'héllo'],
    ['S empty', { S: '' }, ''],
    ['BOOL true', { BOOL: true }, true],
    ['BOOL false', { BOOL: false }, false],
    ['NULL', { NULL: true }, null],
    ['B as base64 text (Lambda)', { B: 'AAH+/w==' }, 'AAH+/w=='],
    ['B as bytes (SDK)', { B: new Uint8Array([0, 1, 254, 255]) }, 'AAH+/w=='],
    ['B as a Node Buffer', { B: Buffer.from([0, 1, 254, 255]) }, 'AAH+/w=='],
  ] satisfies [string, AnyAttributeValue, unknown][])('%s', (_type, attribute, expected) => {
    // when
    const json = decodeAttribute(attribute);

    // then
    expect(json).toStrictEqual(expected);
  });

  it.each([
    ['small integer', '42', 42],
    ['zero', '0', 0],
    ['negative zero', '-0', 0],
    ['negative integer', '-17', -17],
    ['decimal', '12.5', 12.5],
    ['negative decimal', '-0.001', -0.001],
    ['decimal with trailing zeros', '12.50', 12.5],
    ['shortest-round-trip decimal', '0.1', 0.1],
    ['exponent form', '1E+2', 100],
    ['lower-case exponent', '2.5e-3', 0.0025],
    ['largest safe integer', '9007199254740991', 9007199254740991],
    ['smallest safe integer', '-9007199254740991', -9007199254740991],
    ['tiny value', '1E-130', 1e-130],
  ])('N %s (%s) becomes a JS number', (_case, text, expected) => {
    // when
    const json = decodeAttribute({ N: text });

    // then
    expect(json).toBe(expected);
  });

  it.each([
    ['integer just past 2^53 − 1', '9007199254740992'],
    ['huge integer', '12345678901234567890123456789012345678'],
    ['huge integer in exponent form', '1E+30'],
    ['long decimal', '3.14159265358979323846264338327950288'],
    ['decimal a double would round', '0.10000000000000000001'],
    ['negative huge integer', '-99999999999999999999'],
    ['largest DynamoDB number', '9.9999999999999999999999999999999999999E+125'],
  ])('N %s (%s) stays the exact decimal string by default', (_case, text) => {
    // when
    const json = decodeAttribute({ N: text });

    // then
    expect(json).toBe(text);
  });

  it('SS becomes an array sorted by code unit', () => {
    // when
    const json = decodeAttribute({ SS: ['pear', 'Apple', 'apple', 'éclair'] });

    // then
    expect(json).toStrictEqual(['Apple', 'apple', 'pear', 'éclair']);
  });

  it('NS becomes an array sorted by exact numeric value, unsafe members kept as strings', () => {
    // given
    const members = ['10', '-1.5', '2', '12345678901234567890', '1E+2', '0.25', '-12345678901234567890', '0'];

    // when
    const json = decodeAttribute({ NS: members });

    // then
    expect(json).toStrictEqual(['-12345678901234567890', -1.5, 0, 0.25, 2, 10, 100, '12345678901234567890']);
  });

  it('NS orders big members exactly even where doubles would tie', () => {
    // given: both round to the same double
    const members = ['9007199254740993', '9007199254740992'];

    // when
    const json = decodeAttribute({ NS: members });

    // then
    expect(json).toStrictEqual(['9007199254740992', '9007199254740993']);
  });

  it('BS becomes an array of base64 strings sorted by their base64 text, bytes or text alike', () => {
    // when
    const fromBytes = decodeAttribute({ BS: [new Uint8Array([255]), new Uint8Array([0]), new Uint8Array([64])] });
    const fromText = decodeAttribute({ BS: ['/w==', 'AA==', 'QA=='] });

    // then
    expect(fromBytes).toStrictEqual(['/w==', 'AA==', 'QA==']);
    expect(fromText).toStrictEqual(fromBytes);
  });

  it('M and L keep their structure, converting every member', () => {
    // given
    const attribute: AnyAttributeValue = {
      M: {
        name: { S: 'x' },
        list: { L: [{ N: '1' }, { NULL: true }, { L: [{ BOOL: true }] }, { M: { tags: { SS: ['b', 'a'] } } }] },
        empty: { M: {} },
        emptyList: { L: [] },
      },
    };

    // when
    const json = decodeAttribute(attribute);

    // then
    expect(json).toStrictEqual({ name: 'x', list: [1, null, [true], { tags: ['a', 'b'] }], empty: {}, emptyList: [] });
  });

  it('produces a value JSON.stringify writes losslessly', () => {
    // given
    const image: Record<string, AnyAttributeValue> = {
      big: { N: '123456789012345678901234567890' },
      set: { NS: ['3', '1'] },
      bin: { B: new Uint8Array([1]) },
    };

    // when
    const json = toJsonSafe(image);

    // then
    expect(JSON.parse(JSON.stringify(json))).toStrictEqual(json);
  });
});

describe('toJsonSafe: numberPolicy reject', () => {
  it('throws UnsafeNumberError naming the nested attribute path', () => {
    // given
    const image: Record<string, AnyAttributeValue> = {
      order: { M: { lines: { L: [{ M: { amount: { N: '0.10000000000000000001' } } }] } } },
    };

    // when
    const decode = (): unknown => toJsonSafe(image, { numberPolicy: 'reject', pathPrefix: 'NewImage' });

    // then
    expect(decode).toThrow(UnsafeNumberError);
    expect(decode).toThrow('Number at NewImage.order.lines[0].amount (0.10000000000000000001)');
  });

  it('names the sorted position inside a number set', () => {
    // when
    const decode = (): unknown => decodeAttribute({ NS: ['99999999999999999999', '1'] }, 'reject');

    // then
    expect(decode).toThrow(expect.objectContaining({ attributePath: 'value[1]', value: '99999999999999999999' }));
  });

  it('still converts numbers a double holds exactly', () => {
    // when
    const json = toJsonSafe({ a: { N: '1E+2' }, b: { NS: ['0.5', '-3'] } }, { numberPolicy: 'reject' });

    // then
    expect(json).toStrictEqual({ a: 100, b: [-3, 0.5] });
  });
});

describe('toJsonSafe: input no stream produces', () => {
  it('refuses an unknown numberPolicy, naming the allowed values', () => {
    // when
    const decode = (): unknown => toJsonSafe({ a: { N: '1' } }, { numberPolicy: 'number' as never });

    // then
    expect(decode).toThrow(InvalidOptionError);
    expect(decode).toThrow(`Option numberPolicy must be one of 'string', 'reject'; got "number"`);
  });

  it('rejects an N that is not a decimal number', () => {
    // when
    const decode = (): unknown => toJsonSafe({ price: { N: 'NaN' } });

    // then
    expect(decode).toThrow(InvalidNumberError);
    expect(decode).toThrow('Number at price is not a decimal number: "NaN"');
  });

  it('rejects an attribute named __proto__ instead of losing it', () => {
    // given
    const image = JSON.parse('{"a":{"M":{"__proto__":{"S":"x"}}}}') as Record<string, AnyAttributeValue>;

    // when
    const decode = (): unknown => toJsonSafe(image, { pathPrefix: 'NewImage' });

    // then
    expect(decode).toThrow(UnsupportedAttributeNameError);
    expect(decode).toThrow('Attribute name at NewImage.a.__proto__ is not supported');
  });

  it('rejects an unknown AttributeValue type', () => {
    // given
    const image = { a: { X: 'y' } } as unknown as Record<string, AnyAttributeValue>;

    // when
    const decode = (): unknown => toJsonSafe(image);

    // then
    expect(decode).toThrow(UnsupportedAttributeValueError);
    expect(decode).toThrow('Unsupported type passed: X');
  });

  it('quotes attribute names that would make a path ambiguous', () => {
    // when
    const decode = (): unknown => toJsonSafe({ 'a.b': { N: 'x' } });

    // then
    expect(decode).toThrow('Number at ["a.b"] is not a decimal number');
  });
});
