import {
  InvalidStreamArnError,
  SEQUENCE_NUMBER_PATTERN,
  compareSequenceNumbers,
  isSequenceNumber,
  parseStreamArn,
  sequenceNumberSchema,
  streamArnParts,
} from '../../src';

const STREAM_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders.v2/stream/2026-01-01T00:00:00.000';

describe('sequence numbers', () => {
  it('accepts 1 to 40 decimal digits and nothing else', () => {
    // given / when / then
    expect(isSequenceNumber('1')).toBe(true);
    expect(isSequenceNumber('9'.repeat(40))).toBe(true);
    expect(isSequenceNumber('9'.repeat(41))).toBe(false);
    expect(isSequenceNumber('')).toBe(false);
    expect(isSequenceNumber('12a')).toBe(false);
    expect(isSequenceNumber(' 12')).toBe(false);
    expect(isSequenceNumber(12)).toBe(false);
    expect(SEQUENCE_NUMBER_PATTERN.test('4200000000000000000001')).toBe(true);
  });

  it('names what is wrong in the schema message', () => {
    // when
    const result = sequenceNumberSchema.safeParse('12a');
    // then
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected a string of 1 to 40 decimal digits, got "12a"');
  });

  it('compares as integers, beyond what a double holds', () => {
    expect(compareSequenceNumbers('900', '1000')).toBe(-1);
    expect(compareSequenceNumbers('1000', '900')).toBe(1);
    expect(compareSequenceNumbers('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareSequenceNumbers('42', '42')).toBe(0);
  });
});

describe('stream ARNs', () => {
  it('splits a stream ARN into its parts', () => {
    expect(parseStreamArn(STREAM_ARN)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '123456789012',
      tableName: 'orders.v2',
      streamLabel: '2026-01-01T00:00:00.000',
    });
    expect(parseStreamArn('arn:aws-cn:dynamodb:cn-north-1:1:table/t/stream/x').partition).toBe('aws-cn');
  });

  it('rejects anything else with an error naming the ARN', () => {
    for (const bad of ['arn:aws:dynamodb:eu-west-1:1:table/orders', 'arn:aws:sqs:eu-west-1:1:queue', 'orders', '']) {
      expect(() => parseStreamArn(bad)).toThrow(InvalidStreamArnError);
      expect(() => parseStreamArn(bad)).toThrow(`"${bad}" is not a DynamoDB stream ARN`);
      expect(streamArnParts(bad)).toBeUndefined();
    }
    expect(streamArnParts(undefined)).toBeUndefined();
  });
});
