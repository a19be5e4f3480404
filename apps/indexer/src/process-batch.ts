import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { decodeBatch, type DecodedChange, type RejectedRecord } from '@ddb-os/stream-decoding';
import type { IndexerConfig } from './config';
import { tableNameFromStreamArn, type DeadLetterSender, type PoisonRecordMessage } from './dead-letter';
import { UnreportableFailureError } from './errors';
import { batchItemFailuresFor, coalesce, planBatch, type CoalescedWrite } from './plan-batch';
import type { ZodObject } from 'zod';

/** Per-document result of writing a batch, as the index-writer reports it. */
export type DocumentOutcome =
  | { readonly status: 'applied' }
  | { readonly status: 'stale' }
  | { readonly status: 'retryable'; readonly reason: string }
  | { readonly status: 'poison'; readonly reason: string };

/** The OpenSearch side of the indexer, behind a port so the orchestration stays testable. */
export interface IndexPort {
  /** Writes the coalesced writes of one index; resolves with one outcome per write, in order. */
  write(index: string, writes: readonly CoalescedWrite[], msLeft: () => number): Promise<DocumentOutcome[]>;
}

export interface BatchDependencies {
  readonly config: IndexerConfig;
  readonly schemas: Readonly<Record<string, ZodObject>>;
  readonly index: IndexPort;
  readonly deadLetter: DeadLetterSender;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  /** Receives each batch's counters (CloudWatch metrics in Lambda). */
  readonly recordStats?: (stats: Readonly<BatchStats>) => void;
  readonly now?: () => Date;
}

export interface BatchStats {
  records: number;
  documents: number;
  applied: number;
  stale: number;
  unrouted: number;
  deadLettered: number;
  retryableFailures: number;
  maxLagMs: number | undefined;
}

/**
 * Indexes one DynamoDB Streams batch: decode, route and validate, coalesce per document, write with
 * the versioned compare-and-set, park poison records in the dead-letter queue, and report the
 * earliest retryable failure so Lambda resumes the shard there. Nothing is dropped: a record is either
 * indexed (or already superseded), dead-lettered with its data, or reported for redelivery.
 */
export async function processBatch(event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>, deps: BatchDependencies): Promise<DynamoDBBatchResponse> {
  const now = deps.now ?? (() => new Date());
  const { config } = deps;
  const decoded = decodeBatch(event, { numberPolicy: config.numberPolicy });
  const plan = planBatch(decoded.changes, { ...config, schemas: deps.schemas });
  const writes = coalesce(plan.writes);
  const msLeft = () => context.getRemainingTimeInMillis() - config.deadlineMarginMs;

  const failed = new Set<string>();
  const poison: { message: PoisonRecordMessage; sequenceNumber: string | undefined }[] = [
    ...decoded.rejected.map((rejected) => ({ message: rejectedMessage(rejected, now()), sequenceNumber: rejected.sequenceNumber })),
    ...plan.poison.map(({ change, reason }) => ({ message: poisonMessage(change, reason, now()), sequenceNumber: change.sequenceNumber })),
  ];
  const stats: BatchStats = {
    records: decoded.changes.length + decoded.rejected.length,
    documents: writes.length,
    applied: 0,
    stale: 0,
    unrouted: plan.unrouted,
    deadLettered: 0,
    retryableFailures: 0,
    maxLagMs: maxLagMs(decoded.changes, now()),
  };

  for (const [index, indexWrites] of groupByIndex(writes)) {
    const outcomes = await deps.index.write(index, indexWrites, msLeft).catch((error: Error) => indexWrites.map(() => ({ status: 'retryable' as const, reason: error.message })));
    outcomes.forEach((outcome, position) => {
      const write = indexWrites[position];
      if (!write) return;
      if (outcome.status === 'applied') stats.applied += 1;
      else if (outcome.status === 'stale') stats.stale += 1;
      else if (outcome.status === 'poison') poison.push({ message: poisonMessage(write.last.change, outcome.reason, now()), sequenceNumber: write.firstSequenceNumber });
      else {
        stats.retryableFailures += 1;
        failed.add(write.firstSequenceNumber);
        deps.log('document write will be retried by redelivery', { index, id: write.last.id, reason: outcome.reason });
      }
    });
  }

  await deadLetterAll(poison, deps, failed, stats);
  const response = { batchItemFailures: batchItemFailuresFor(failed) };
  deps.log('batch processed', { ...stats, resumeFrom: response.batchItemFailures[0]?.itemIdentifier ?? null });
  deps.recordStats?.(stats);
  return response;
}

async function deadLetterAll(
  poison: readonly { message: PoisonRecordMessage; sequenceNumber: string | undefined }[],
  deps: BatchDependencies,
  failed: Set<string>,
  stats: BatchStats,
): Promise<void> {
  if (poison.length === 0) return;
  const notAccepted = new Set(await deps.deadLetter.send(poison.map((entry) => entry.message)).catch(() => poison.map((entry) => entry.message)));
  const unreportable: string[] = [];
  for (const entry of poison) {
    if (!notAccepted.has(entry.message)) {
      stats.deadLettered += 1;
      deps.log('record dead-lettered', { reason: entry.message.reason, sequenceNumber: entry.sequenceNumber ?? null });
    } else if (entry.sequenceNumber !== undefined) failed.add(entry.sequenceNumber);
    else unreportable.push(entry.message.reason);
  }
  if (unreportable.length > 0) throw new UnreportableFailureError(unreportable);
}

function groupByIndex(writes: readonly CoalescedWrite[]): Map<string, CoalescedWrite[]> {
  const groups = new Map<string, CoalescedWrite[]>();
  for (const write of writes) groups.set(write.last.index, [...(groups.get(write.last.index) ?? []), write]);
  return groups;
}

function poisonMessage(change: DecodedChange, reason: string, at: Date): PoisonRecordMessage {
  return {
    kind: 'poison-record',
    reason,
    failedAt: at.toISOString(),
    table: tableNameFromStreamArn(change.eventSourceArn),
    streamArn: change.eventSourceArn,
    sequenceNumber: change.sequenceNumber,
    record: change.raw,
  };
}

function rejectedMessage(rejected: RejectedRecord, at: Date): PoisonRecordMessage {
  const streamArn = (rejected.raw as { eventSourceARN?: unknown } | null)?.eventSourceARN;
  const arn = typeof streamArn === 'string' ? streamArn : undefined;
  return {
    kind: 'poison-record',
    reason: `malformed stream record: ${rejected.reason}`,
    failedAt: at.toISOString(),
    table: tableNameFromStreamArn(arn),
    streamArn: arn,
    sequenceNumber: rejected.sequenceNumber,
    record: rejected.raw,
  };
}

function maxLagMs(changes: readonly DecodedChange[], now: Date): number | undefined {
  if (changes.length === 0) return undefined;
  const oldest = Math.min(...changes.map((change) => change.approximateCreationSeconds));
  return Math.max(0, now.getTime() - oldest * 1000);
}
