import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { LostRange, LostRangeCondition, SequenceRange } from '@ddb-os/failure-archive';
import { sequenceNumberOf } from '@ddb-os/stream-decoding';

/** Why reading a range stopped. */
export type ScanStop = 'reached-end' | 'shard-ended' | 'call-budget-exhausted' | 'trimmed';

/** Progress through a shard while looking for the records of one range. */
export interface RangeScan {
  /** Records inside the range, in shard order. */
  readonly records: readonly _Record[];
  /** Sequence number of the first record read at all (inside the range or after it). */
  readonly firstSeen: bigint | undefined;
  /** Sequence number of the last record read at all. */
  readonly lastSeen: bigint | undefined;
  /** A record at or after the end of the range was read: nothing more to look for. */
  readonly reachedEnd: boolean;
}

export const emptyScan: RangeScan = { records: [], firstSeen: undefined, lastSeen: undefined, reachedEnd: false };

/**
 * Adds one GetRecords page to a scan, keeping exactly the records whose sequence number lies in
 * `[start, end]` (compared as BigInt: sequence numbers do not compare as strings or doubles).
 *
 * @example
 * const scan = scanPage(emptyScan, page.Records ?? [], { start: '100', end: '200' });
 */
export function scanPage(scan: RangeScan, page: readonly _Record[], range: SequenceRange): RangeScan {
  const start = BigInt(range.start);
  const end = BigInt(range.end);
  let { firstSeen, lastSeen, reachedEnd } = scan;
  const records = [...scan.records];
  for (const record of page) {
    if (reachedEnd) break;
    const sequence = sequenceOf(record);
    if (sequence === undefined) continue;
    firstSeen ??= sequence;
    lastSeen = sequence;
    if (sequence >= start && sequence <= end) records.push(record);
    if (sequence >= end) reachedEnd = true;
  }
  return { records, firstSeen, lastSeen, reachedEnd };
}

/**
 * The records of `page` inside `[start, end]`, in order.
 *
 * @example
 * selectRange(records, { start: '100', end: '200' }).length;
 */
export function selectRange(page: readonly _Record[], range: SequenceRange): _Record[] {
  return [...scanPage(emptyScan, page, range).records];
}

/**
 * The part of `range` a finished scan could not read, or null when the whole range was read
 * (the first record read is the start, and the end was reached).
 *
 * @example
 * lostPartOf(scan, range, 'shard-ended'); // { condition: 'range-incomplete', range: { start: '151', end: '200' }, detail: '...' }
 */
export function lostPartOf(scan: RangeScan, range: SequenceRange, stop: ScanStop, calls: number): LostRange | null {
  const start = BigInt(range.start);
  const end = BigInt(range.end);
  const firstCollected = sequenceOf(scan.records[0]);
  const lastCollected = sequenceOf(scan.records[scan.records.length - 1]);
  const frontMissing = firstCollected !== start;
  const tailMissing = !scan.reachedEnd;
  if (!frontMissing && !tailMissing) return null;
  const lostStart = frontMissing || lastCollected === undefined ? start : lastCollected + 1n;
  const lostEnd = tailMissing || firstCollected === undefined ? end : firstCollected - 1n;
  const detail = `first record read: ${scan.firstSeen ?? 'none'}, last: ${scan.lastSeen ?? 'none'}, stopped: ${stop}, GetRecords calls: ${calls}`;
  return {
    condition: conditionOf(scan, start, frontMissing, stop),
    range: { start: lostStart.toString(), end: lostEnd.toString() },
    detail,
  };
}

function conditionOf(scan: RangeScan, start: bigint, frontMissing: boolean, stop: ScanStop): LostRangeCondition {
  if (stop === 'trimmed') return 'trimmed';
  // The first record still in the shard is after the start: the start has aged out of the stream.
  if (frontMissing && scan.firstSeen !== undefined && scan.firstSeen > start) return 'trimmed';
  return 'range-incomplete';
}

function sequenceOf(record: _Record | undefined): bigint | undefined {
  const text = sequenceNumberOf(record);
  return text === undefined ? undefined : BigInt(text);
}
