import type { WriteOutcome, WriteOutcomes } from '@ddb-os/index-writer';
import { decodeRecord, sequenceNumberOf, type DecodedChange } from '@ddb-os/stream-decoding';
import type { IndexingConfig } from './config';
import { parkPoison, poisonRecordMessage, type DeadLetterSender, type Poison, type PoisonRecordMessage } from './dead-letter';
import { describeError, IndexingDefectError, isDefect, KeyAttributesMismatchError } from './errors';
import { truncateText, type LoggerPort } from '@ddb-os/lambda-runtime';
import { coalesce, planBatch, type DocumentWrite, type PoisonChange, type PositionedChange } from './plan-batch';

/** The outcome of each write by (index, document id), as `WriteOutcomes` of `@ddb-os/index-writer` gives it. */
export type OutcomeLookup = Pick<WriteOutcomes, 'of'>;

/** The OpenSearch side of indexing, behind a port so the orchestration stays testable. */
export interface IndexPort {
  /**
   * Writes the coalesced writes of a batch (one per index and document id, any number of indexes) in one call;
   * resolves with the outcome of each. A write without an outcome counts as retryable.
   */
  write(writes: readonly DocumentWrite[], msLeft: () => number): Promise<OutcomeLookup>;
}

export interface IndexingDependencies {
  readonly config: IndexingConfig;
  readonly index: IndexPort;
  readonly deadLetter: DeadLetterSender;
  /** Levelled logger (Powertools' `Logger` in Lambda): warn for every record dead-lettered or retried, error for what needs an operator. */
  readonly logger: LoggerPort;
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

const NO_OUTCOME: WriteOutcome = { status: 'retryable', reason: 'no outcome reported for this document' };

/** Poison, standing for the positions of its records in the batch. */
type PoisonEntry = Poison<readonly number[]>;

/**
 * Indexes a batch of DynamoDB Streams records (Lambda's record shape): decode, route and validate,
 * coalesce per document, write with the versioned compare-and-set, and park poison records in the
 * dead-letter queue. Nothing is dropped: each record is indexed (or already superseded),
 * dead-lettered with its data, or reported in `failedPositions` for redelivery — which the caller
 * turns into its partial batch response (sequence numbers for a stream, message ids for a queue).
 * Each record dead-lettered or reported is logged at warn with its reason and sequence number.
 *
 * @throws IndexingDefectError when our own code fails (a `TypeError`, an invalid order key…): the
 * invocation fails rather than every document becoming "retryable" forever.
 */
export async function indexRecords(records: readonly unknown[], msLeft: () => number, deps: IndexingDependencies): Promise<IndexingResult> {
  const now = deps.now ?? (() => new Date());
  const decoded = records.map((raw, position) => ({ position, decoding: decodeRecord(raw, { numberPolicy: deps.config.numberPolicy }) }));
  const changes: PositionedChange[] = decoded.flatMap(({ position, decoding }) =>
    decoding.ok ? [{ position, change: decoding.change }] : [],
  );
  const plan = planBatch(changes, deps.config);
  reportKeyMismatch(plan.poison, deps);
  const writes = coalesce(plan.writes);

  const failed = new Set<number>();
  const poison: PoisonEntry[] = [
    ...decoded.flatMap(({ position, decoding }) =>
      decoding.ok
        ? []
        : [
            {
              message: poisonRecordMessage(
                decoding.rejected.raw,
                `malformed stream record: ${decoding.rejected.reason}`,
                now(),
                sequenceNumberOf(decoding.rejected.raw),
              ),
              source: [position],
            },
          ],
    ),
    ...plan.poison.map(({ change, position, reason }) => ({ message: poisonOf(change, reason, now()), source: [position] })),
  ];
  const stats: BatchStats = {
    records: records.length,
    documents: writes.length,
    applied: 0,
    stale: 0,
    unrouted: plan.unrouted,
    deadLettered: 0,
    retryableFailures: 0,
    maxLagMs: maxLagMs(
      changes.map(({ change }) => change),
      now(),
    ),
  };

  const retried = new RetriedDocuments(changes);
  const outcomes = writes.length === 0 ? undefined : await writeAll(writes, msLeft, deps);
  for (const write of writes) {
    const outcome = outcomes?.of(write) ?? NO_OUTCOME;
    if (outcome.status === 'applied') stats.applied += 1;
    else if (outcome.status === 'stale') stats.stale += 1;
    else if (outcome.status === 'poison') poison.push({ message: poisonOf(write.change, outcome.reason, now()), source: write.positions });
    else {
      stats.retryableFailures += 1;
      write.positions.forEach((failedPosition) => failed.add(failedPosition));
      retried.add(write.index, write, outcome.reason);
    }
  }
  retried.log(deps.logger);

  await deadLetterAll(poison, deps, failed, stats);
  deps.logger.info('batch processed', { ...stats, failedRecords: failed.size });
  deps.recordStats?.(stats);
  return { failedPositions: failed, stats };
}

/**
 * The batch's writes, all indexes in one call. A port failure (cluster down) makes them all retryable;
 * a defect in our code fails the invocation, logged at error.
 */
async function writeAll(writes: readonly DocumentWrite[], msLeft: () => number, deps: IndexingDependencies): Promise<OutcomeLookup> {
  const indexes = [...new Set(writes.map((write) => write.index))];
  try {
    return await deps.index.write(writes, msLeft);
  } catch (error) {
    if (isDefect(error)) {
      const defect = new IndexingDefectError(`writing to ${indexes.map((index) => `"${index}"`).join(', ')}`, error);
      deps.logger.error(defect.message, { indexes, documents: writes.length, stack: (error as Error).stack });
      throw defect;
    }
    const outcome: WriteOutcome = { status: 'retryable', reason: `writing to OpenSearch failed: ${describeError(error)}` };
    return { of: () => outcome };
  }
}

/** Key attributes that do not match the table concern every record of the table: one error line per batch says so. */
function reportKeyMismatch(poison: readonly PoisonChange[], deps: IndexingDependencies): void {
  const mismatches = poison.filter((entry) => entry.error instanceof KeyAttributesMismatchError);
  const first = mismatches[0];
  if (first === undefined) return;
  const { recordKeys, keyAttributes } = first.error as KeyAttributesMismatchError;
  deps.logger.error(
    "the sync's key attributes do not match the key of the stream records: they are dead-lettered, not indexed (documents would merge)",
    {
      reason: first.reason,
      recordKeys,
      keyAttributes,
      records: mismatches.length,
      firstSequenceNumber: first.change.sequenceNumber,
    },
  );
}

async function deadLetterAll(
  poison: readonly PoisonEntry[],
  deps: IndexingDependencies,
  failed: Set<number>,
  stats: BatchStats,
): Promise<void> {
  const refused = await parkPoison(poison, deps);
  refused.flat().forEach((position) => failed.add(position));
  stats.deadLettered += poison.length - refused.length;
}

/** Documents that will be delivered again, grouped by index and reason: one warn line per group, however large the batch. */
class RetriedDocuments {
  private readonly groups = new Map<string, { index: string; reason: string; ids: string[]; sequenceNumbers: string[] }>();
  private readonly sequenceNumberAt: ReadonlyMap<number, string>;

  constructor(changes: readonly PositionedChange[]) {
    this.sequenceNumberAt = new Map(changes.map(({ position, change }) => [position, change.sequenceNumber]));
  }

  add(index: string, write: DocumentWrite, reason: string): void {
    const key = `${index}\u0000${reason}`;
    const group = this.groups.get(key) ?? { index, reason, ids: [], sequenceNumbers: [] };
    this.groups.set(key, group);
    group.ids.push(write.id);
    group.sequenceNumbers.push(...write.positions.map((position) => this.sequenceNumberAt.get(position) ?? `position ${position}`));
  }

  log(logger: LoggerPort): void {
    for (const { index, reason, ids, sequenceNumbers } of this.groups.values()) {
      logger.warn('documents not written: their records will be delivered again', {
        index,
        reason: truncateText(reason),
        documents: ids.length,
        ids: ids.slice(0, 20),
        sequenceNumbers,
      });
    }
  }
}

function poisonOf(change: DecodedChange, reason: string, at: Date): PoisonRecordMessage {
  return poisonRecordMessage(change.raw, reason, at, change.sequenceNumber);
}

function maxLagMs(changes: readonly DecodedChange[], now: Date): number | undefined {
  if (changes.length === 0) return undefined;
  const oldest = Math.min(...changes.map((change) => change.approximateCreationSeconds));
  return Math.max(0, now.getTime() - oldest * 1000);
}
