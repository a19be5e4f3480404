import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type DynamoDBStreamsClient,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-dynamodb-streams';
import type { LostRange, SequenceRange } from '@ddb-os/failure-archive';
import { GET_RECORDS_PAGE_LIMIT, MAX_DESCRIBE_STREAM_PAGES } from './constants';
import { emptyScan, lostPartOf, scanPage, type RangeScan, type ScanStop } from './sequence-range';

/** Which records of a shard to read back. */
export interface RangeRequest {
  readonly streamArn: string;
  readonly shardId: string;
  readonly range: SequenceRange;
  /** Upper bound of GetRecords calls: an open shard returns empty pages forever once read to its tip. */
  readonly maxGetRecordsCalls: number;
}

/** The records of the range still in the stream, and what could not be read. */
export interface RangeReadResult {
  readonly records: readonly _Record[];
  readonly lost: LostRange | null;
  readonly getRecordsCalls: number;
}

type ShardLookup =
  { readonly found: true; readonly startingSequenceNumber: string | undefined } | { readonly found: false; readonly lost: LostRange };

/**
 * Reads the records of `[start, end]` of one shard back from the stream with a fresh iterator
 * (`AT_SEQUENCE_NUMBER` start), so the 15-minute expiry of the failed batch's iterator never
 * matters. Never loops forever: at most `maxGetRecordsCalls` GetRecords calls, and a null next
 * iterator ends the shard. Records that can no longer be read are reported in `lost`.
 * Throws only for errors worth retrying (throttling, network, 5xx).
 *
 * @example
 * const { records, lost } = await readFailedRange(streams, { streamArn, shardId, range: { start, end }, maxGetRecordsCalls: 100 });
 */
export async function readFailedRange(streams: DynamoDBStreamsClient, request: RangeRequest): Promise<RangeReadResult> {
  const shard = await lookUpShard(streams, request);
  if (!shard.found) return { records: [], lost: shard.lost, getRecordsCalls: 0 };
  const startsBeforeShard =
    shard.startingSequenceNumber !== undefined && BigInt(request.range.start) < BigInt(shard.startingSequenceNumber);
  let iterator: string | undefined;
  try {
    iterator = await openIterator(streams, request, startsBeforeShard ? { ShardIteratorType: 'TRIM_HORIZON' } : atStart(request.range));
  } catch (error) {
    const lost = lostForError(error, request.range);
    if (lost) return { records: [], lost, getRecordsCalls: 0 };
    throw error;
  }
  return scanShard(streams, request, iterator);
}

async function scanShard(
  streams: DynamoDBStreamsClient,
  request: RangeRequest,
  firstIterator: string | undefined,
): Promise<RangeReadResult> {
  let iterator = firstIterator;
  let scan: RangeScan = emptyScan;
  let calls = 0;
  let stop: ScanStop = 'reached-end';
  while (!scan.reachedEnd) {
    if (iterator === undefined) {
      stop = 'shard-ended';
      break;
    }
    if (calls >= request.maxGetRecordsCalls) {
      stop = 'call-budget-exhausted';
      break;
    }
    calls += 1;
    try {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_PAGE_LIMIT }));
      scan = scanPage(scan, page.Records ?? [], request.range);
      iterator = page.NextShardIterator ?? undefined;
    } catch (error) {
      const next = await recoverFrom(error, streams, request, scan);
      if (next === 'trimmed') {
        stop = 'trimmed';
        break;
      }
      iterator = next;
    }
  }
  return { records: scan.records, lost: lostPartOf(scan, request.range, stop, calls), getRecordsCalls: calls };
}

/** An expired iterator is reopened where the scan stands; trimmed data ends the scan; anything else is thrown (worth a retry). */
async function recoverFrom(
  error: unknown,
  streams: DynamoDBStreamsClient,
  request: RangeRequest,
  scan: RangeScan,
): Promise<string | undefined | 'trimmed'> {
  try {
    if (errorName(error) !== 'ExpiredIteratorException') throw error;
    return await openIterator(streams, request, resumePoint(scan, request.range));
  } catch (reopenError) {
    if (errorName(reopenError) === 'TrimmedDataAccessException') return 'trimmed';
    throw reopenError;
  }
}

async function lookUpShard(streams: DynamoDBStreamsClient, request: RangeRequest): Promise<ShardLookup> {
  let exclusiveStartShardId: string | undefined;
  try {
    for (let page = 0; page < MAX_DESCRIBE_STREAM_PAGES; page += 1) {
      const { StreamDescription: stream } = await streams.send(
        new DescribeStreamCommand({ StreamArn: request.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      const shard = stream?.Shards?.find((candidate) => candidate.ShardId === request.shardId);
      if (shard) return { found: true, startingSequenceNumber: shard.SequenceNumberRange?.StartingSequenceNumber };
      exclusiveStartShardId = stream?.LastEvaluatedShardId;
      if (exclusiveStartShardId === undefined) break;
    }
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    return notFound('stream-not-found', request.range, `DescribeStream: ${(error as Error).message}`);
  }
  return notFound('shard-not-found', request.range, `shard ${request.shardId} is not (or no longer) listed by DescribeStream`);
}

async function openIterator(
  streams: DynamoDBStreamsClient,
  request: RangeRequest,
  position: Pick<GetShardIteratorCommandInput, 'ShardIteratorType' | 'SequenceNumber'>,
): Promise<string | undefined> {
  const result = await streams.send(new GetShardIteratorCommand({ StreamArn: request.streamArn, ShardId: request.shardId, ...position }));
  return result.ShardIterator ?? undefined;
}

function atStart(range: SequenceRange): Pick<GetShardIteratorCommandInput, 'ShardIteratorType' | 'SequenceNumber'> {
  return { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: range.start };
}

/** After an expired iterator: continue right after the last record read, or from the start. */
function resumePoint(scan: RangeScan, range: SequenceRange): Pick<GetShardIteratorCommandInput, 'ShardIteratorType' | 'SequenceNumber'> {
  return scan.lastSeen === undefined
    ? atStart(range)
    : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: scan.lastSeen.toString() };
}

function lostForError(error: unknown, range: SequenceRange): LostRange | undefined {
  const name = errorName(error);
  const detail = `GetShardIterator: ${name}: ${(error as Error).message}`;
  if (name === 'TrimmedDataAccessException') return { condition: 'trimmed', range, detail };
  if (name === 'ResourceNotFoundException') return { condition: 'shard-not-found', range, detail };
  return undefined;
}

function notFound(condition: 'stream-not-found' | 'shard-not-found', range: SequenceRange, detail: string): ShardLookup {
  return { found: false, lost: { condition, range, detail } };
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
