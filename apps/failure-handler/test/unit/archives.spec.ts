import { messageDigest } from '@ddb-os/failure-archive';
import {
  planOnFailureArchive,
  planPoisonArchive,
  planUnparseableArchive,
  regionOf,
  tableNameOf,
  type PlanContext,
} from '../../src/archives';
import { InvalidStreamArnError } from '../../src/errors';
import { poisonRecordMessageSchema } from '@ddb-os/sync-contracts';
import { onFailureRecordSchema } from '../../src/messages';
import { lambdaRecordFactory, onFailureRecordFactory, poisonMessageFactory, SHARD_ID, STREAM_ARN } from '../helpers/factories';

function contextFor(body: string, overrides: Partial<PlanContext> = {}): PlanContext {
  return {
    envelope: {
      messageId: 'm-1',
      body,
      digest: messageDigest(body),
      sentAt: new Date('2026-03-05T00:00:01Z'),
      queueArn: 'arn:aws:sqs:eu-west-1:1:q',
    },
    prefix: 'failures/',
    gzip: false,
    tableName: undefined,
    archivedAt: new Date('2026-03-06T00:00:00Z'),
    ...overrides,
  };
}

const onFailure = (overrides?: Parameters<typeof onFailureRecordFactory>[0]) =>
  onFailureRecordSchema.parse({ ...onFailureRecordFactory(overrides), kind: 'on-failure' });

describe('planOnFailureArchive', () => {
  it('keys the archive by table, failure day, shard and range', () => {
    // given an on-failure record of 2026-03-04
    const record = onFailure();

    // when planned
    const plan = planOnFailureArchive(record, [], null, contextFor('{}'));

    // then
    expect(plan.key).toBe(`failures/orders/2026/03/04/${SHARD_ID}/100000000000000000100-100000000000000000300.ndjson`);
  });

  it('uses TABLE_NAME over the stream ARN and adds .gz when compressing', () => {
    // when planned with both options
    const plan = planOnFailureArchive(onFailure(), [], null, contextFor('{}', { tableName: 'prod-orders', gzip: true }));

    // then
    expect(plan.key).toBe(`failures/prod-orders/2026/03/04/${SHARD_ID}/100000000000000000100-100000000000000000300.ndjson.gz`);
  });

  it('writes a header with the condition, range, counts and source, then the records', () => {
    // given two records read back
    const records = [lambdaRecordFactory('100000000000000000100'), lambdaRecordFactory('100000000000000000300')];
    const body = JSON.stringify(onFailureRecordFactory());

    // when planned
    const { archive } = planOnFailureArchive(onFailure(), records as never, null, contextFor(body));

    // then
    expect(archive.records).toEqual(records);
    expect(archive.header).toMatchObject({
      kind: 'stream-batch',
      reason: 'RetryAttemptsExhausted',
      failedAt: '2026-03-04T05:06:07.890Z',
      archivedAt: '2026-03-06T00:00:00.000Z',
      table: 'orders',
      streamArn: STREAM_ARN,
      shardId: SHARD_ID,
      range: { start: '100000000000000000100', end: '100000000000000000300' },
      lost: null,
      counts: { records: 2, expected: 3 },
      source: { messageId: 'm-1', digest: messageDigest(body), sentAt: '2026-03-05T00:00:01.000Z' },
    });
    expect(archive.header.details).toHaveProperty('requestContext.approximateInvokeCount', 3);
  });

  it('marks the archive as a lost range when part could not be read', () => {
    // given a lost range
    const lost = { condition: 'trimmed' as const, range: { start: '100000000000000000100', end: '100000000000000000300' }, detail: 'x' };

    // when planned
    const { archive, key } = planOnFailureArchive(onFailure(), [], lost, contextFor('{}'));

    // then the same key (so a duplicate is still recognised), with kind and condition
    expect(key).toMatch(/100000000000000000100-100000000000000000300\.ndjson$/);
    expect(archive.header).toMatchObject({ kind: 'lost-range', lost, counts: { records: 0 } });
  });
});

describe('planPoisonArchive', () => {
  it('keys the archive under poison/<seq>-<seq> of the failure day and keeps the record as is', () => {
    // given a DLQ message
    const message = poisonRecordMessageSchema.parse(poisonMessageFactory());

    // when planned
    const plan = planPoisonArchive(message, contextFor('{}'));

    // then
    expect(plan.key).toBe('failures/orders/2026/03/04/poison/100000000000000000200-100000000000000000200.ndjson');
    expect(plan.archive.records).toEqual([message.record]);
    expect(plan.archive.header).toMatchObject({
      kind: 'poison-record',
      reason: message.reason,
      range: { start: '100000000000000000200', end: '100000000000000000200' },
      counts: { records: 1, expected: 1 },
    });
  });

  it('falls back to the record for stream ARN, table and sequence number', () => {
    // given a message with only the record
    const message = poisonRecordMessageSchema.parse(
      poisonMessageFactory({ table: undefined, streamArn: undefined, sequenceNumber: undefined, truncated: true }),
    );

    // when planned
    const plan = planPoisonArchive(message, contextFor('{}'));

    // then everything is read from the record, and the extra DLQ fields are kept
    expect(plan.key).toBe('failures/orders/2026/03/04/poison/100000000000000000200-100000000000000000200.ndjson');
    expect(plan.archive.header).toMatchObject({ streamArn: STREAM_ARN, table: 'orders', details: { truncated: true } });
  });

  it('uses the message digest when the record has no sequence number', () => {
    // given an undecodable record
    const body = '{"kind":"poison-record"}';
    const message = poisonRecordMessageSchema.parse(poisonMessageFactory({ sequenceNumber: undefined, record: { broken: true } }));

    // when planned
    const plan = planPoisonArchive(message, contextFor(body));

    // then
    expect(plan.key).toBe(`failures/orders/2026/03/04/poison/${messageDigest(body)}.ndjson`);
  });
});

describe('planUnparseableArchive', () => {
  it('keeps the body verbatim under unparseable/<digest>, dated by when SQS received it', () => {
    // given a message that is not JSON
    const body = 'definitely not json';

    // when planned
    const plan = planUnparseableArchive('body is not JSON', contextFor(body));

    // then
    expect(plan.key).toBe(`failures/_unknown/2026/03/05/unparseable/${messageDigest(body)}.ndjson`);
    expect(plan.archive.header).toMatchObject({
      kind: 'unparseable',
      reason: 'body is not JSON',
      details: { body },
      counts: { records: 0 },
    });
  });
});

describe('stream ARN helpers', () => {
  it('reads the table and region', () => {
    // when / then
    expect(tableNameOf(STREAM_ARN)).toBe('orders');
    expect(regionOf(STREAM_ARN)).toBe('eu-west-1');
  });

  it('rejects an ARN that is not a stream ARN, naming it', () => {
    // when / then
    expect(() => tableNameOf('arn:aws:dynamodb:eu-west-1:1:table/orders')).toThrow(InvalidStreamArnError);
    expect(() => tableNameOf('arn:aws:dynamodb:eu-west-1:1:table/orders')).toThrow('"arn:aws:dynamodb:eu-west-1:1:table/orders"');
  });
});
