import { readAheadLimit } from '../../src/shard-reader';
import type { StreamRunner } from '../../src/stream-runner';
import { SHARD_ID, STREAM_ARN, shard, streamRecords } from '../helpers/factories';
import { fakeTables, FakeStreams } from '../helpers/fake-streams';
import { fastRunner, recordingHandler, tempCheckpointFile, waitUntil } from '../helpers/runner';

const POLL_INTERVAL_MS = 600;
/** Well under the poll interval, well over what delivering a batch to a handler that returns at once takes. */
const AT_ONCE_MS = 300;
/** Timers may fire a few milliseconds early relative to Date.now(). */
const TIMER_SLACK_MS = 20;

const range = (first: number, count: number): string[] => Array.from({ length: count }, (_, index) => String(first + index));
const gapsBetween = (reads: readonly { atMs: number }[]): number[] =>
  reads.slice(1).map((read, index) => read.atMs - (reads[index] as { atMs: number }).atMs);

describe('readAheadLimit', () => {
  it.each([
    [1, 0, 1000],
    [100, 0, 1000],
    [100, 50, 950],
    [300, 0, 900],
    [300, 100, 800],
    [1000, 0, 1000],
    [1000, 999, 1],
    [2500, 0, 1000],
    [2500, 2000, 500],
    [10_000, 9_500, 500],
  ])('batch size %i with %i records pending asks GetRecords for %i', (batchSize, pending, expected) => {
    // when / then
    expect(readAheadLimit(batchSize, pending)).toBe(expected);
  });
});

describe('StreamRunner polling pace (as Lambda: at once while a shard has a backlog)', () => {
  const runners: StreamRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });
  const slowPolling = async (streams: FakeStreams, batchSize: number) => {
    const recorder = recordingHandler();
    const runner = fastRunner({
      handler: recorder.handler,
      streamArn: STREAM_ARN,
      streams,
      tables: fakeTables(STREAM_ARN),
      batchSize,
      pollIntervalMs: POLL_INTERVAL_MS,
      idlePollMaxMs: POLL_INTERVAL_MS,
      checkpointFile: await tempCheckpointFile(),
    });
    runners.push(runner);
    return { recorder, runner };
  };

  it('reads again at once after a full GetRecords, and waits the poll interval after a partial one', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 2_500));
    const { recorder, runner } = await slowPolling(streams, 1_000);
    // when
    await runner.start();
    await waitUntil('the read after the partial one', () => streams.reads.length >= 4, 5_000);
    // then
    expect(streams.reads.slice(0, 3).map((read) => read.returned)).toEqual([1_000, 1_000, 500]);
    const [afterFirstFull, afterSecondFull, afterPartial] = gapsBetween(streams.reads.slice(0, 4));
    expect(afterFirstFull).toBeLessThan(AT_ONCE_MS);
    expect(afterSecondFull).toBeLessThan(AT_ONCE_MS);
    expect(afterPartial).toBeGreaterThanOrEqual(POLL_INTERVAL_MS - TIMER_SLACK_MS);
    expect(recorder.batches().map((batch) => batch.length)).toEqual([1_000, 1_000, 500]);
  });

  it('reads ahead up to 1,000 records and delivers them in order in batches of batchSize, checkpointing each', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 1_250));
    const { recorder, runner } = await slowPolling(streams, 100);
    // when
    await runner.start();
    await waitUntil('every record is delivered', () => recorder.delivered().length === 1_250, 5_000);
    await waitUntil('the read after the partial one', () => streams.reads.length >= 3, 5_000);
    // then
    expect(streams.reads.slice(0, 2)).toEqual([
      expect.objectContaining({ limit: 1_000, returned: 1_000 }),
      expect.objectContaining({ limit: 1_000, returned: 250 }),
    ]);
    const [afterFull, afterPartial] = gapsBetween(streams.reads.slice(0, 3));
    expect(afterFull).toBeLessThan(AT_ONCE_MS);
    expect(afterPartial).toBeGreaterThanOrEqual(POLL_INTERVAL_MS - TIMER_SLACK_MS);
    expect(recorder.delivered()).toEqual(range(101, 1_250));
    expect(recorder.batches().map((batch) => batch.length)).toEqual([...Array<number>(12).fill(100), 50]);
    await waitUntil('the checkpoint reaches the last record', () => runner.status().shards[0]?.checkpoint === '1350');
  });

  it('keeps gathering across reads for the batching window, read-ahead or not', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 10));
    const recorder = recordingHandler();
    const runner = fastRunner({
      handler: recorder.handler,
      streamArn: STREAM_ARN,
      streams,
      tables: fakeTables(STREAM_ARN),
      batchSize: 100,
      batchingWindowMs: 400,
      checkpointFile: await tempCheckpointFile(),
    });
    runners.push(runner);
    // when
    await runner.start();
    await waitUntil('the first records are read', () => streams.reads.some((read) => read.returned > 0));
    streams.put(SHARD_ID, ...streamRecords(111, 5));
    await waitUntil('a batch is delivered', () => recorder.events.length > 0);
    // then
    const firstRead = streams.reads.find((read) => read.returned > 0);
    expect(Date.now() - (firstRead?.atMs ?? Date.now())).toBeGreaterThanOrEqual(400 - TIMER_SLACK_MS);
    expect(recorder.batches()).toEqual([range(101, 15)]);
  });

  it('waits the poll interval between empty GetRecords', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID));
    const { runner } = await slowPolling(streams, 100);
    // when
    await runner.start();
    await waitUntil('three empty reads', () => streams.reads.length >= 3, 5_000);
    // then
    expect(streams.reads.every((read) => read.returned === 0)).toBe(true);
    for (const gap of gapsBetween(streams.reads)) expect(gap).toBeGreaterThanOrEqual(POLL_INTERVAL_MS - TIMER_SLACK_MS);
  });
});
