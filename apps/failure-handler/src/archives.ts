import {
  ARCHIVE_FORMAT_VERSION,
  POISON_PARTITION,
  UNPARSEABLE_PARTITION,
  archiveKey,
  rangeName,
  type Archive,
  type ArchiveHeader,
  type ArchiveSource,
  type LostRange,
} from '@ddb-os/failure-archive';
import type { DynamoDBRecord } from 'aws-lambda';
import { InvalidStreamArnError } from './errors';
import type { ReceivedPoisonRecordMessage } from '@ddb-os/sync-contracts';
import { sequenceNumberOf } from '@ddb-os/stream-decoding';
import type { OnFailureRecord } from './messages';
import type { MessageEnvelope } from './types';

/** An archive object to write and where. */
export interface ArchivePlan {
  readonly key: string;
  readonly archive: Archive;
}

/** What every plan needs besides the message itself. */
export interface PlanContext {
  readonly envelope: MessageEnvelope;
  readonly prefix: string;
  readonly gzip: boolean;
  /** TABLE_NAME, overriding the name in the stream ARN. */
  readonly tableName: string | undefined;
  readonly archivedAt: Date;
}

/**
 * The key of an on-failure record's archive: it depends on the message alone (table, the failure's
 * day, shard and range), so it can be checked before the stream is read.
 *
 * @example
 * onFailureKey(record, context); // 'failures/orders/2026/03/04/shardId-0001/100-200.ndjson'
 */
export function onFailureKey(record: OnFailureRecord, context: PlanContext): string {
  const info = record.DDBStreamBatchInfo;
  return archiveKey({
    prefix: context.prefix,
    table: context.tableName ?? tableNameOf(info.streamArn),
    failedAt: new Date(record.timestamp),
    partition: info.shardId,
    name: rangeName({ start: info.startSequenceNumber, end: info.endSequenceNumber }),
    gzip: context.gzip,
  });
}

/**
 * The archive of a batch Lambda gave up on: the records read back from the stream (or taken from the
 * S3 on-failure object's payload, named in `origin`), and the lost part of the range when some could not be read.
 *
 * @example
 * const plan = planOnFailureArchive(record, lambdaRecords, null, context);
 */
export function planOnFailureArchive(
  record: OnFailureRecord,
  records: readonly DynamoDBRecord[],
  lost: LostRange | null,
  context: PlanContext,
  origin: Readonly<Record<string, unknown>> = {},
): ArchivePlan {
  const { DDBStreamBatchInfo: info, requestContext, responseContext, version, timestamp } = record;
  const header: ArchiveHeader = {
    formatVersion: ARCHIVE_FORMAT_VERSION,
    kind: lost ? 'lost-range' : 'stream-batch',
    reason: requestContext.condition,
    failedAt: new Date(timestamp).toISOString(),
    archivedAt: context.archivedAt.toISOString(),
    table: context.tableName ?? tableNameOf(info.streamArn),
    streamArn: info.streamArn,
    shardId: info.shardId,
    range: { start: info.startSequenceNumber, end: info.endSequenceNumber },
    lost,
    counts: { records: records.length, expected: info.batchSize },
    source: sourceOf(context.envelope),
    details: { requestContext, responseContext: responseContext ?? null, version: version ?? null, DDBStreamBatchInfo: info, ...origin },
  };
  return { key: onFailureKey(record, context), archive: { header, records } };
}

/**
 * The archive of one dead-lettered poison record: the record as is, with the indexer's reason.
 *
 * @example
 * const plan = planPoisonArchive(message, context);
 */
export function planPoisonArchive(message: ReceivedPoisonRecordMessage, context: PlanContext): ArchivePlan {
  const { record, reason, failedAt, kind: _kind, ...rest } = message;
  const streamArn = message.streamArn ?? stringField(record, 'eventSourceARN') ?? null;
  const sequenceNumber = message.sequenceNumber ?? sequenceNumberOf(record);
  const table = context.tableName ?? message.table ?? (streamArn ? tableNameOrNull(streamArn) : null);
  const range = sequenceNumber ? { start: sequenceNumber, end: sequenceNumber } : null;
  const header: ArchiveHeader = {
    formatVersion: ARCHIVE_FORMAT_VERSION,
    kind: 'poison-record',
    reason,
    failedAt: new Date(failedAt).toISOString(),
    archivedAt: context.archivedAt.toISOString(),
    table,
    streamArn,
    shardId: null,
    range,
    lost: null,
    counts: { records: 1, expected: 1 },
    source: sourceOf(context.envelope),
    details: rest,
  };
  const key = archiveKey({
    prefix: context.prefix,
    table,
    failedAt: new Date(failedAt),
    partition: POISON_PARTITION,
    name: range ? rangeName(range) : context.envelope.digest,
    gzip: context.gzip,
  });
  return { key, archive: { header, records: [record] } };
}

/**
 * The archive of a message that is neither kind: the body kept verbatim, with the reason.
 *
 * @example
 * const plan = planUnparseableArchive('body is not JSON', context);
 */
export function planUnparseableArchive(reason: string, context: PlanContext): ArchivePlan {
  const failedAt = context.envelope.sentAt ?? context.archivedAt;
  const header: ArchiveHeader = {
    formatVersion: ARCHIVE_FORMAT_VERSION,
    kind: 'unparseable',
    reason,
    failedAt: failedAt.toISOString(),
    archivedAt: context.archivedAt.toISOString(),
    table: context.tableName ?? null,
    streamArn: null,
    shardId: null,
    range: null,
    lost: null,
    counts: { records: 0, expected: null },
    source: sourceOf(context.envelope),
    details: { body: context.envelope.body },
  };
  const key = archiveKey({
    prefix: context.prefix,
    table: context.tableName ?? null,
    failedAt,
    partition: UNPARSEABLE_PARTITION,
    name: context.envelope.digest,
    gzip: context.gzip,
  });
  return { key, archive: { header, records: [] } };
}

/**
 * `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`.
 *
 * @example
 * tableNameOf('arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000'); // 'orders'
 */
export function tableNameOf(streamArn: string): string {
  const name = tableNameOrNull(streamArn);
  if (name === null) throw new InvalidStreamArnError(streamArn);
  return name;
}

/**
 * The region of a stream ARN (`arn:aws:dynamodb:<region>:...`), or undefined.
 *
 * @example
 * regionOf('arn:aws:dynamodb:eu-west-1:1:table/t/stream/x'); // 'eu-west-1'
 */
export function regionOf(streamArn: string): string | undefined {
  const region = streamArn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

function tableNameOrNull(streamArn: string): string | null {
  return /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//.exec(streamArn)?.[1] ?? null;
}

function sourceOf(envelope: MessageEnvelope): ArchiveSource {
  return {
    messageId: envelope.messageId,
    digest: envelope.digest,
    sentAt: envelope.sentAt?.toISOString() ?? null,
    queueArn: envelope.queueArn ?? null,
  };
}

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fieldValue = (value as Record<string, unknown>)[field];
  return typeof fieldValue === 'string' ? fieldValue : undefined;
}
