import { PassThrough } from 'node:stream';
import { formatStatusLine, StatusReporter } from '../../src/status-reporter';
import type { RunnerStatus, ShardStatus } from '../../src/types';
import { SHARD_ID, STREAM_ARN, shard, streamRecords } from '../helpers/factories';
import { fakeTables, FakeStreams } from '../helpers/fake-streams';
import { fastRunner, recordingHandler, tempCheckpointFile, waitUntil } from '../helpers/runner';

const shardStatus = (overrides: Partial<ShardStatus> = {}): ShardStatus => ({
  shardId: SHARD_ID,
  parentShardId: undefined,
  state: 'polling',
  checkpoint: '105',
  lastProcessedSequenceNumber: '105',
  lastProcessedRecordCreatedAt: '2026-01-01T00:00:00.000Z',
  lagMs: 1_500,
  recordsBehind: 3,
  caughtUp: false,
  recordsProcessed: 120,
  recordsDiscarded: 2,
  batchesInvoked: 12,
  failedInvocations: 1,
  throughputPerSecond: 4.5,
  retryAttempt: 0,
  lastError: undefined,
  lastErrorAt: undefined,
  workerRestarts: 0,
  ...overrides,
});

const status = (shards: ShardStatus[], gaps = 0): RunnerStatus => ({
  state: 'running',
  tableName: 'orders',
  streamArn: STREAM_ARN,
  functionName: 'indexer',
  startedAt: '2026-01-01T00:00:00.000Z',
  checkpointFile: '/tmp/orders.json',
  totals: {
    recordsProcessed: 120,
    recordsDiscarded: 2,
    batchesInvoked: 12,
    failedInvocations: 1,
    onFailureRecordsSent: 1,
    gaps,
    throughputPerSecond: 4.5,
    maxLagMs: 1_500,
    recordsBehind: 3,
  },
  shards,
});

describe('formatStatusLine', () => {
  it('sums up shards, records, throughput, lag, backlog and failures on one line', () => {
    // when
    const line = formatStatusLine(status([shardStatus(), shardStatus({ shardId: 'done', state: 'finished' })]));
    // then
    expect(line).toBe('orders running | shards 1/2 | 120 rec 4.5/s | lag 1.5s | behind 3 | failed 1 | discarded 2');
  });

  it('shows retrying shards and gaps', () => {
    // when
    const line = formatStatusLine(status([shardStatus({ state: 'retrying', retryAttempt: 2 })], 1));
    // then
    expect(line).toContain(`retrying ${SHARD_ID}#2`);
    expect(line).toContain('GAPS 1');
  });

  it('shows a holding or restarting shard with the error that stops it and since when', () => {
    // when
    const line = formatStatusLine(
      status([
        shardStatus({
          state: 'holding',
          lastError: 'InvalidIndexingConfigError: Invalid indexer configuration:\n  - RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS',
          lastErrorAt: '2026-01-01T00:00:05.000Z',
        }),
        shardStatus({
          shardId: 'other',
          state: 'restarting',
          lastError: 'shard worker failed: TypeError: boom',
          lastErrorAt: '2026-01-01T00:00:06.000Z',
          workerRestarts: 3,
        }),
      ]),
    );
    // then
    expect(line).toContain(
      `HOLDING ${SHARD_ID} since 2026-01-01T00:00:05.000Z: InvalidIndexingConfigError: Invalid indexer configuration: - RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS`,
    );
    expect(line).toContain('RESTARTING other since 2026-01-01T00:00:06.000Z: shard worker failed: TypeError: boom');
  });
});

describe('StatusReporter', () => {
  const collect = (stream: PassThrough): (() => string) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return () => text;
  };

  it('writes JSON lines (one per batch, then a status line) when not on a TTY', async () => {
    // given
    const out = new PassThrough();
    const written = collect(out);
    const reporter = new StatusReporter({ out, tty: false, intervalMs: 20 });
    const recorder = recordingHandler();
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 2));
    const runner = fastRunner({
      handler: recorder.handler,
      streamArn: STREAM_ARN,
      streams,
      tables: fakeTables(STREAM_ARN),
      logger: reporter.logger,
      checkpointFile: await tempCheckpointFile(),
    });
    reporter.attach(runner);
    // when
    await runner.start();
    await waitUntil('a batch line is written', () => written().includes('"msg":"batch"'));
    await waitUntil('a status line follows it', () => written().split('"msg":"batch"').pop()?.includes('"msg":"status"') === true);
    await runner.stop();
    reporter.detach();
    // then
    const lines = written()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['stream runner started', 'batch', 'status']));
  });

  it('redraws a single status line in place on a TTY, printing log lines above it', async () => {
    // given
    const out = new PassThrough();
    const written = collect(out);
    const reporter = new StatusReporter({ out, tty: true, intervalMs: 10 });
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 1));
    const runner = fastRunner({
      handler: recordingHandler().handler,
      tableName: 'orders',
      streams,
      tables: fakeTables(STREAM_ARN),
      logger: reporter.logger,
      checkpointFile: await tempCheckpointFile(),
    });
    reporter.attach(runner);
    // when
    await runner.start();
    await waitUntil('the line is redrawn', () => written().split('\r\x1b[2K').length > 3);
    reporter.logger.log('warn', 'something to see');
    await runner.stop();
    reporter.detach();
    // then
    expect(written()).toContain('\r\x1b[2K{"time"');
    expect(written()).toMatch(/orders (running|stopped) \| shards 1\/1/);
    expect(written()).not.toContain('"msg":"batch"');
  });
});
