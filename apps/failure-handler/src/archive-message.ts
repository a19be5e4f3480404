import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { encodeArchive, messageDigest, metadataOf, type S3ArchiveStore } from '@ddb-os/failure-archive';
import type { LoggerPort } from '@ddb-os/lambda-runtime';
import { toLambdaRecord } from '@ddb-os/stream-decoding';
import {
  onFailureKey,
  planOnFailureArchive,
  planPoisonArchive,
  planUnparseableArchive,
  regionOf,
  type ArchivePlan,
  type PlanContext,
} from './archives';
import type { FailureHandlerConfig } from './config';
import { METRIC, REPAIR_HINT } from './constants';
import { parseFailureMessage, type OnFailureRecord } from './messages';
import { parseFailedBatchObject } from './failed-batch-object';
import type { FailedBatchObjects } from './failed-batch-objects';
import type { NotifiedObject } from './s3-notification';
import { readFailedRange } from './read-failed-range';
import type { HandlerMetrics, MessageEnvelope, MessageOutcome } from './types';

/** What archiving a message needs. */
export interface ArchiveDependencies {
  readonly config: FailureHandlerConfig;
  readonly streams: DynamoDBStreamsClient;
  /** The archive (an in-memory fake in unit tests). */
  readonly store: Pick<S3ArchiveStore, 'putOnce' | 'findArchived'>;
  /** Objects written by the S3 on-failure destination (read when their notification arrives). */
  readonly objects: FailedBatchObjects;
  /** The levelled logging port every handler of the sync uses (Powertools in Lambda, a recorder in tests). */
  readonly logger: LoggerPort;
  readonly metrics: HandlerMetrics;
  readonly now: () => Date;
}

/**
 * Archives one queue message: an on-failure record is re-read from the stream, an S3 notification's
 * objects hold the failed batch's records (the stream is not read), a poison record is kept as is,
 * an S3 test event is ignored, anything else is kept verbatim as unparseable. Idempotent: a message already archived
 * (same digest) is not archived again. Throws only when the archive could not be written (retry).
 *
 * @example
 * const outcome = await archiveMessage(dependencies, envelope);
 */
export async function archiveMessage(deps: ArchiveDependencies, envelope: MessageEnvelope): Promise<MessageOutcome> {
  const context: PlanContext = {
    envelope,
    prefix: deps.config.archive.prefix,
    gzip: deps.config.archive.gzip,
    tableName: deps.config.tableName,
    archivedAt: deps.now(),
  };
  const parsed = parseFailureMessage(envelope.body);
  switch (parsed.kind) {
    case 'on-failure':
      return archiveOnFailure(deps, parsed.record, context);
    case 's3-notification':
      return archiveFailedBatchObjects(deps, parsed.objects, context);
    case 's3-test-event':
      deps.logger.info('S3 test event: nothing to archive', { messageId: envelope.messageId });
      return { key: '', kind: 'ignored', written: false, records: 0 };
    case 'poison-record':
      return write(deps, planPoisonArchive(parsed.message, context));
    case 'unparseable':
      deps.logger.warn('Queue message is not a failure record: archiving it verbatim', {
        messageId: envelope.messageId,
        reason: parsed.reason,
      });
      deps.metrics.count(METRIC.unparseableMessages, 1);
      return write(deps, planUnparseableArchive(parsed.reason, context));
  }
}

async function archiveOnFailure(deps: ArchiveDependencies, record: OnFailureRecord, context: PlanContext): Promise<MessageOutcome> {
  const key = onFailureKey(record, context);
  const archivedKey = await deps.store.findArchived(key, context.envelope.digest);
  if (archivedKey !== undefined) return duplicate(deps, archivedKey, 'stream-batch');

  const info = record.DDBStreamBatchInfo;
  const range = { start: info.startSequenceNumber, end: info.endSequenceNumber };
  const read = await readFailedRange(deps.streams, {
    streamArn: info.streamArn,
    shardId: info.shardId,
    range,
    maxGetRecordsCalls: deps.config.maxGetRecordsCalls,
  });
  const awsRegion = regionOf(info.streamArn) ?? deps.config.region;
  const records = read.records.map((streamRecord) => toLambdaRecord(streamRecord, { streamArn: info.streamArn, awsRegion }));
  const plan = planOnFailureArchive(record, records, read.lost, context);
  const outcome = await write(deps, plan);
  if (read.lost) {
    deps.metrics.count(METRIC.lostRanges, 1);
    deps.logger.error(`Lost range on ${info.shardId}: ${REPAIR_HINT}`, {
      table: plan.archive.header.table,
      streamArn: info.streamArn,
      shardId: info.shardId,
      range,
      lost: read.lost,
      recoveredRecords: records.length,
      archiveKey: outcome.key,
    });
  } else if (records.length !== info.batchSize) {
    // With ParallelizationFactor > 1 a range holds other batches' records too; replaying them is harmless.
    deps.logger.warn('Range holds a different number of records than the failed batch', {
      shardId: info.shardId,
      range,
      read: records.length,
      batchSize: info.batchSize,
    });
  }
  return outcome;
}

/** Each object in turn; a failure to read or archive one throws, so SQS delivers the notification again. */
async function archiveFailedBatchObjects(
  deps: ArchiveDependencies,
  objects: readonly NotifiedObject[],
  context: PlanContext,
): Promise<MessageOutcome> {
  const outcomes: MessageOutcome[] = [];
  for (const object of objects) outcomes.push(await archiveFailedBatchObject(deps, object, context));
  const [first, ...others] = outcomes;
  if (!first || others.length === 0) return first ?? { key: '', kind: 'ignored', written: false, records: 0 };
  return {
    key: outcomes.map((outcome) => outcome.key).join(' '),
    kind: outcomes.some((outcome) => outcome.kind === 'lost-range') ? 'lost-range' : first.kind,
    written: outcomes.some((outcome) => outcome.written),
    records: outcomes.reduce((sum, outcome) => sum + outcome.records, 0),
  };
}

async function archiveFailedBatchObject(deps: ArchiveDependencies, object: NotifiedObject, context: PlanContext): Promise<MessageOutcome> {
  const location = `s3://${object.bucket}/${object.key}`;
  const text = await deps.objects.read(object.bucket, object.key);
  const read = parseFailedBatchObject(text);
  switch (read.kind) {
    case 'unparseable': {
      deps.logger.warn('On-failure object is not a Lambda invocation record: archiving its notification verbatim', {
        messageId: context.envelope.messageId,
        object: location,
        reason: read.reason,
      });
      deps.metrics.count(METRIC.unparseableMessages, 1);
      // Keyed by the object's digest: two bad objects of one notification must not collapse into one archive.
      return write(
        deps,
        planUnparseableArchive(`${location}: ${read.reason}`, {
          ...context,
          envelope: { ...context.envelope, digest: messageDigest(text) },
        }),
      );
    }
    case 'on-failure-without-payload':
      deps.logger.warn('On-failure object has no usable payload: reading the failed range from the stream instead', {
        object: location,
        reason: read.reason,
      });
      return archiveOnFailure(deps, read.record, context);
    case 'on-failure': {
      const key = onFailureKey(read.record, context);
      const archivedKey = await deps.store.findArchived(key, context.envelope.digest);
      if (archivedKey !== undefined) return duplicate(deps, archivedKey, 'stream-batch');
      const outcome = await write(
        deps,
        planOnFailureArchive(read.record, read.records, null, context, { onFailureObject: { bucket: object.bucket, key: object.key } }),
      );
      const info = read.record.DDBStreamBatchInfo;
      if (read.records.length !== info.batchSize) {
        deps.logger.warn('On-failure payload holds a different number of records than the failed batch', {
          object: location,
          shardId: info.shardId,
          read: read.records.length,
          batchSize: info.batchSize,
        });
      }
      return outcome;
    }
  }
}

async function write(deps: ArchiveDependencies, plan: ArchivePlan): Promise<MessageOutcome> {
  const { header, records } = plan.archive;
  const body = encodeArchive(plan.archive, { gzip: deps.config.archive.gzip });
  const result = await deps.store.putOnce(plan.key, body, metadataOf(header));
  if (result.outcome === 'duplicate') return duplicate(deps, result.key, header.kind);
  deps.metrics.count(METRIC.archivedObjects, 1);
  deps.metrics.count(METRIC.archivedRecords, records.length);
  return { key: result.key, kind: header.kind, written: true, records: records.length };
}

function duplicate(deps: ArchiveDependencies, key: string, kind: MessageOutcome['kind']): MessageOutcome {
  deps.metrics.count(METRIC.duplicateMessages, 1);
  return { key, kind, written: false, records: 0 };
}
