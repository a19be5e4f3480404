import { parseFailureMessage } from '../../src/messages';
import { decodeS3Key } from '../../src/s3-notification';
import { s3NotificationFactory } from '../helpers/factories';

describe('S3 event notifications of the on-failure bucket', () => {
  it('names each created object with its key decoded', () => {
    // given a key with a space, a colon and a plus sign, URL-encoded as S3 sends it
    const body = JSON.stringify(s3NotificationFactory('sync-on-failure', 'aws/lambda/esm/shard 1/2026-03-04T05.06.07-a:b+c'));

    // when
    const parsed = parseFailureMessage(body);

    // then
    expect(parsed).toEqual({
      kind: 's3-notification',
      objects: [{ bucket: 'sync-on-failure', key: 'aws/lambda/esm/shard 1/2026-03-04T05.06.07-a:b+c' }],
    });
  });

  it('decodes + as a space and %2B as a plus', () => {
    // when / then
    expect(decodeS3Key('a+b%2Bc%3D')).toBe('a b+c=');
  });

  it('recognizes the s3:TestEvent sent when the notification is configured', () => {
    // given
    const body = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-03-04T05:00:00.000Z',
      Bucket: 'sync-on-failure',
      RequestId: 'r',
      HostId: 'h',
    });

    // when / then
    expect(parseFailureMessage(body)).toEqual({ kind: 's3-test-event' });
  });

  it.each([
    [
      'an object removal',
      JSON.stringify(s3NotificationFactory('b-1', 'k', 'ObjectRemoved:Delete')),
      /invalid S3 event notification: Records.0.eventName: must be an ObjectCreated event/,
    ],
    [
      'a record without its bucket',
      JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { object: { key: 'k' } } }] }),
      /invalid S3 event notification: Records.0.s3.bucket/,
    ],
  ])('reports %s as unparseable, naming the field', (_case, body, reason) => {
    // when
    const parsed = parseFailureMessage(body);

    // then
    expect(parsed.kind).toBe('unparseable');
    expect(parsed.kind === 'unparseable' && parsed.reason).toMatch(reason);
  });
});
