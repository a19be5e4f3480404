import { z } from 'zod';

/** One object an S3 event notification announces. */
export interface NotifiedObject {
  readonly bucket: string;
  /** The object key, decoded (notifications carry it URL-encoded, spaces as `+`). */
  readonly key: string;
}

const notificationRecordSchema = z.looseObject({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().startsWith('ObjectCreated:', 'must be an ObjectCreated event (the on-failure bucket notifies only those)'),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(3, 'must be an S3 bucket name') }),
    object: z.looseObject({ key: z.string().min(1, 'must be an object key') }),
  }),
});

/** An S3 event notification as SQS receives it from the on-failure bucket. */
export const s3NotificationSchema = z.looseObject({
  Records: z.array(notificationRecordSchema).min(1, 'must announce at least one object'),
});

/** Whether a parsed body is shaped like an S3 event notification (so its errors are reported as such). */
export function looksLikeS3Notification(json: Record<string, unknown>): boolean {
  const records = json['Records'];
  return (
    Array.isArray(records) &&
    records.some(
      (record) => typeof record === 'object' && record !== null && (record as Record<string, unknown>)['eventSource'] === 'aws:s3',
    )
  );
}

/** The `s3:TestEvent` S3 sends when notifications are configured: nothing failed. */
export function isS3TestEvent(json: Record<string, unknown>): boolean {
  return json['Event'] === 's3:TestEvent';
}

/**
 * The objects of a valid notification, keys decoded.
 *
 * @example
 * notifiedObjects({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'a+b%3D' } } }] });
 * // [{ bucket: 'b', key: 'a b=' }]
 */
export function notifiedObjects(notification: z.infer<typeof s3NotificationSchema>): NotifiedObject[] {
  return notification.Records.map((record) => ({ bucket: record.s3.bucket.name, key: decodeS3Key(record.s3.object.key) }));
}

/**
 * S3 notifications URL-encode object keys and write spaces as `+`.
 *
 * @example
 * decodeS3Key('aws/lambda/uuid/shardId-1/2026/03/04/2026-03-04T05.06.07-a%3Ab+c'); // '.../2026-03-04T05.06.07-a:b c'
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/** What a queue body that is an S3 notification says: objects to read, a test event, or why it is invalid. */
export type S3NotificationMessage =
  | { readonly kind: 's3-notification'; readonly objects: readonly NotifiedObject[] }
  | { readonly kind: 's3-test-event' }
  | { readonly kind: 'unparseable'; readonly reason: string };

/**
 * Classifies a parsed body as an S3 notification; undefined when it is not shaped like one.
 *
 * @example
 * parseS3Notification({ Event: 's3:TestEvent', Service: 'Amazon S3' }); // { kind: 's3-test-event' }
 */
export function parseS3Notification(json: Record<string, unknown>): S3NotificationMessage | undefined {
  if (isS3TestEvent(json)) return { kind: 's3-test-event' };
  if (!looksLikeS3Notification(json)) return undefined;
  const parsed = s3NotificationSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
    return { kind: 'unparseable', reason: `invalid S3 event notification: ${problems}` };
  }
  return { kind: 's3-notification', objects: notifiedObjects(parsed.data) };
}
