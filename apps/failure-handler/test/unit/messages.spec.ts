import { parseFailureMessage } from '../../src/messages';
import { onFailureRecordFactory, poisonMessageFactory } from '../helpers/factories';

describe('parseFailureMessage', () => {
  it('recognises a Lambda on-failure record by its DDBStreamBatchInfo', () => {
    // given the body Lambda sends to an SQS on-failure destination
    const body = JSON.stringify(onFailureRecordFactory());

    // when parsed
    const parsed = parseFailureMessage(body);

    // then it is an on-failure record with its range
    expect(parsed.kind).toBe('on-failure');
    if (parsed.kind !== 'on-failure') throw new Error('unreachable');
    expect(parsed.record.DDBStreamBatchInfo).toMatchObject({
      startSequenceNumber: '100000000000000000100',
      endSequenceNumber: '100000000000000000300',
    });
    expect(parsed.record.requestContext.condition).toBe('RetryAttemptsExhausted');
  });

  it('recognises a poison-record message from the indexer DLQ and keeps the record whole', () => {
    // given a DLQ message
    const message = poisonMessageFactory();

    // when parsed
    const parsed = parseFailureMessage(JSON.stringify(message));

    // then
    expect(parsed.kind).toBe('poison-record');
    if (parsed.kind !== 'poison-record') throw new Error('unreachable');
    expect(parsed.message.record).toEqual(message.record);
    expect(parsed.message.reason).toBe(message.reason);
  });

  it('accepts a poison message without table, stream ARN or sequence number (the record may be undecodable)', () => {
    // given a minimal DLQ message
    const body = JSON.stringify({ kind: 'poison-record', reason: 'bad', failedAt: '2026-03-04T00:00:00Z', record: { garbage: true } });

    // when / then
    expect(parseFailureMessage(body).kind).toBe('poison-record');
  });

  it("accepts the stream runner's record: second-precision arrival times, no functionError", () => {
    // given what tools/stream-runner sends (arrival times may be empty when unknown)
    const record = onFailureRecordFactory();
    const body = JSON.stringify({
      ...record,
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      DDBStreamBatchInfo: {
        ...record.DDBStreamBatchInfo,
        approximateArrivalOfFirstRecord: '2026-03-04T05:00:00Z',
        approximateArrivalOfLastRecord: '',
      },
    });

    // when / then
    expect(parseFailureMessage(body).kind).toBe('on-failure');
  });

  it('compares start and end as BigInt: a start with fewer digits is smaller although it sorts after as text', () => {
    // given start "99..." (20 digits) and end "100..." (21 digits)
    const body = JSON.stringify(onFailureRecordFactory({ start: '99999999999999999999', end: '100000000000000000000' }));

    // when / then it is a valid range
    expect(parseFailureMessage(body).kind).toBe('on-failure');
  });

  it.each([
    ['not JSON', '{"DDBStreamBatchInfo":', /^body is not JSON/],
    ['a JSON array', '[1,2]', /neither a Lambda on-failure record/],
    ['an unrelated object', '{"hello":"world"}', /neither a Lambda on-failure record/],
    ['an unknown kind', '{"kind":"something-else"}', /invalid message of kind "something-else"/],
    [
      'a range whose start is after its end',
      JSON.stringify(onFailureRecordFactory({ start: '300', end: '200' })),
      /DDBStreamBatchInfo.endSequenceNumber: startSequenceNumber must not be greater than endSequenceNumber/,
    ],
    [
      'a sequence number that is not decimal',
      JSON.stringify(onFailureRecordFactory({ start: '12a' })),
      /DDBStreamBatchInfo.startSequenceNumber: must be a decimal sequence number/,
    ],
    [
      'a stream ARN that is not one',
      JSON.stringify(onFailureRecordFactory({ streamArn: 'arn:aws:sqs:x' })),
      /DDBStreamBatchInfo.streamArn: must be a DynamoDB stream ARN/,
    ],
    [
      'a poison message without its record',
      JSON.stringify({ ...poisonMessageFactory(), record: undefined }),
      /invalid message of kind "poison-record": record:/,
    ],
    [
      'a poison message without failedAt',
      JSON.stringify({ ...poisonMessageFactory(), failedAt: 'yesterday' }),
      /failedAt: must be an ISO-8601 timestamp/,
    ],
  ])('reports %s as unparseable with the reason', (_case, body, reason) => {
    // when parsed
    const parsed = parseFailureMessage(body);

    // then it is unparseable and says why
    expect(parsed.kind).toBe('unparseable');
    if (parsed.kind !== 'unparseable') throw new Error('unreachable');
    expect(parsed.reason).toMatch(reason);
  });
});
