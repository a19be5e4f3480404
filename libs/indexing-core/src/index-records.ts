import type { WriteOutcome } from '@ddb-os/index-writer';
import { decodeRecord, type DecodedChange } from '@ddb-os/stream-decoding';
import type { ZodObject } from 'zod';
import type { IndexingConfig } from './config';
import { tableNameFromStreamArn, type DeadLetterSender, type PoisonRecordMessage } from './dead-letter';
import { coalesce, planBatch, type CoalescedWrite, type PositionedChange } from './plan-batch';

/** Per-document result of writing a batch, as the index-writer reports it. */
export type DocumentOutcome = WriteOutcome;

/** The OpenSearch side of indexing, behind a port so the orchestration stays testable. */
export interface IndexPort {
  /** Writes the coalesced writes of one index; resolves with one outcome per write, in order. */
  write(index: string, writes: readonly CoalescedWrite[], msLeft: () => number): Promise<DocumentOutcome[]>;
}

export interface IndexingDependencies {
  readonly config: IndexingConfig;
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

export interface IndexingResult {
  /** Positions (in the input) of the records that are neither indexed nor dead-lettered: they must be delivered again. */
  readonly failedPositions: ReadonlySet<number>;
  readonly stats: Readonly<BatchStats>;
}

interface PoisonEntry {
  readonly message: PoisonRecordMessage;
  readonly positions: readonly number[];
}

/**
 * Indexes a batch of DynamoDB Streams records (Lambda's record shape): decode, route and validate,
 * coalesce per document, write with the versioned compare-and-set, and park poison records in the
 * dead-letter queue. Nothing is dropped: each record is indexed (or already superseded),
 * dead-lettered with its data, or reported in `failedPositions` for redelivery — which the caller
 * turns into its partial batch response (sequence numbers for a stream, message ids for a queue).
 */
export async function indexRecords(records: readonly unknown[], msLeft: () => number, deps: IndexingDependencies): Promise<IndexingResult> {
  const now = deps.now ?? (() => new Date());
  const decoded = records.map((raw, position) => ({ position, decoding: decodeRecord(raw, { numberPolicy: deps.config.numberPolicy }) }));
  const changes: PositionedChange[] = decoded.flatMap(({ position, decoding }) => (decoding.ok ? [{ position, change: decoding.change }] : []));
  const plan = planBatch(changes, { ...deps.config, schemas: deps.schemas });
  const writes = coalesce(plan.writes);

  const failed = new Set<number>();
  const poison: PoisonEntry[] = [
    ...decoded.flatMap(({ position, decoding }) => (decoding.ok ? [] : [{ message: rejectedMessage(decoding.rejected.raw, decoding.rejected.reason, decoding.rejected.sequenceNumber, now()), positions: [position] }])),
    ...plan.poison.map(({ change, position, reason }) => ({ message: poisonMessage(change, reason, now()), positions: [position] })),
  ];
  const stats: BatchStats = {
    records: records.length,
    documents: writes.length,
    applied: 0,
    stale: 0,
    unrouted: plan.unrouted,
    deadLettered: 0,
    retryableFailures: 0,
    maxLagMs: maxLagMs(changes.map(({ change }) => change), now()),
  };

  for (const [index, indexWrites] of groupByIndex(writes)) {
    const outcomes = await deps.index.write(index, indexWrites, msLeft).catch((error: Error) => indexWrites.map(() => ({ status: 'retryable' as const, reason: error.message })));
    indexWrites.forEach((write, position) => {
      const outcome = outcomes[position] ?? { status: 'retryable', reason: 'no outcome reported for this document' };
      if (outcome.status === 'applied') stats.applied += 1;
      else if (outcome.status === 'stale') stats.stale += 1;
      else if (outcome.status === 'poison') poison.push({ message: poisonMessage(write.last.change, outcome.reason, now()), positions: write.positions });
      else {
        stats.retryableFailures += 1;
        write.positions.forEach((failedPosition) => failed.add(failedPosition));
        deps.log('document write will be retried by redelivery', { index, id: write.last.id, reason: outcome.reason });
      }
    });
  }

  await deadLetterAll(poison, deps, failed, stats);
  deps.log('batch processed', { ...stats, failedRecords: failed.size });
  deps.recordStats?.(stats);
  return { failedPositions: failed, stats };
}

async function deadLetterAll(poison: readonly PoisonEntry[], deps: IndexingDependencies, failed: Set<number>, stats: BatchStats): Promise<void> {
  if (poison.length === 0) return;
  const messages = poison.map((entry) => entry.message);
  const notAccepted = new Set(await deps.deadLetter.send(messages).catch(() => messages));
  for (const entry of poison) {
    if (notAccepted.has(entry.message)) {
      entry.positions.forEach((position) => failed.add(position));
      continue;
    }
    stats.deadLettered += 1;
    deps.log('record dead-lettered', { reason: entry.message.reason, sequenceNumber: entry.message.sequenceNumber ?? null });
  }
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

function rejectedMessage(raw: unknown, reason: string, sequenceNumber: string | undefined, at: Date): PoisonRecordMessage {
  const streamArn = (raw as { eventSourceARN?: unknown } | null)?.eventSourceARN;
  const arn = typeof streamArn === 'string' ? streamArn : undefined;
  return {
    kind: 'poison-record',
    reason: `malformed stream record: ${reason}`,
    failedAt: at.toISOString(),
    table: tableNameFromStreamArn(arn),
    streamArn: arn,
    sequenceNumber,
    record: raw,
  };
}

function maxLagMs(changes: readonly DecodedChange[], now: Date): number | undefined {
  if (changes.length === 0) return undefined;
  const oldest = Math.min(...changes.map((change) => change.approximateCreationSeconds));
  return Math.max(0, now.getTime() - oldest * 1000);
}
