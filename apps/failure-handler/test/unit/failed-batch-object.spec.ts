import { parseFailedBatchObject } from '../../src/failed-batch-object';
import { lambdaRecordFactory, onFailureObjectFactory, onFailureRecordFactory } from '../helpers/factories';

const sequences = (records: readonly unknown[]) =>
  records.map((record) => (record as { dynamodb: { SequenceNumber: string } }).dynamodb.SequenceNumber);

describe('parseFailedBatchObject', () => {
  const start = '100000000000000000100';
  const middle = '100000000000000000200';
  const end = '100000000000000000300';

  it('takes exactly the records of the payload (a JSON string, as Lambda writes it)', () => {
    // given
    const records = [lambdaRecordFactory(start), lambdaRecordFactory(middle, 'PRODUCT#2'), lambdaRecordFactory(end)];

    // when
    const read = parseFailedBatchObject(onFailureObjectFactory(records, { start, end }));

    // then
    expect(read.kind).toBe('on-failure');
    if (read.kind !== 'on-failure') throw new Error('unreachable');
    expect(read.records).toEqual(records);
    expect(read.record.DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: start, endSequenceNumber: end, batchSize: 3 });
  });

  it('accepts the payload as an object too', () => {
    // given
    const object = JSON.stringify({ ...onFailureRecordFactory({ start, end }), payload: { Records: [lambdaRecordFactory(middle)] } });

    // when
    const read = parseFailedBatchObject(object);

    // then
    expect(read.kind === 'on-failure' && sequences(read.records)).toEqual([middle]);
  });

  it.each([
    ['no payload', JSON.stringify(onFailureRecordFactory({ start, end })), 'the invocation record has no payload'],
    [
      'a payload that is not JSON',
      JSON.stringify({ ...onFailureRecordFactory({ start, end }), payload: '{"Records":' }),
      /^payload is not JSON/,
    ],
    [
      'a payload without Records',
      JSON.stringify({ ...onFailureRecordFactory({ start, end }), payload: '{}' }),
      /^payload is not a DynamoDB stream event: Records:/,
    ],
    [
      'a payload record outside the batch range',
      onFailureObjectFactory([lambdaRecordFactory('100000000000000000400')], { start, end }),
      `payload record 100000000000000000400 lies outside the batch range ${start}-${end}`,
    ],
  ])('keeps the batch info but asks for the stream on %s', (_case, object, reason) => {
    // when
    const read = parseFailedBatchObject(object);

    // then
    expect(read.kind).toBe('on-failure-without-payload');
    expect(read.kind === 'on-failure-without-payload' && read.reason).toMatch(reason);
  });

  it.each([
    ['not JSON', 'garbage', /^object is not JSON/],
    ['an array', '[]', 'object is not a JSON object'],
    [
      'no batch info',
      JSON.stringify({
        requestContext: { condition: 'RetryAttemptsExhausted' },
        timestamp: '2026-03-04T05:06:07Z',
        payload: '{"Records":[]}',
      }),
      /^object is not a Lambda on-failure invocation record: DDBStreamBatchInfo/,
    ],
  ])('reports an object that is %s as unparseable', (_case, object, reason) => {
    // when
    const read = parseFailedBatchObject(object);

    // then
    expect(read.kind).toBe('unparseable');
    expect(read.kind === 'unparseable' && read.reason).toMatch(reason);
  });
});
