import { sleep } from '@ddb-os/node-io';
import { InvalidSyncConfigError } from '@ddb-os/sync-config';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { CheckpointStore } from '../../src/checkpoint-store';
import { StreamNotEnabledError, InvalidRunnerOptionsError } from '../../src/errors';
import { StreamRunner } from '../../src/stream-runner';
import type { BatchResultEvent, GapEvent } from '../../src/types';
import { SHARD_ID, STREAM_ARN, shard, streamRecord, streamRecords } from '../helpers/factories';
import { capturingDestination, fakeTables, FakeStreams } from '../helpers/fake-streams';
import { fastRunner, recordingHandler, tempCheckpointFile, waitUntil } from '../helpers/runner';

const range = (first: number, count: number): string[] => Array.from({ length: count }, (_, index) => String(first + index));
const includes = (event: DynamoDBStreamEvent, sequenceNumber: string): boolean =>
  event.Records.some((record) => record.dynamodb?.SequenceNumber === sequenceNumber);

describe('StreamRunner with a fake stream', () => {
  const runners: StreamRunner[] = [];
  const track = (runner: StreamRunner): StreamRunner => {
    runners.push(runner);
    return runner;
  };
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  it('delivers every record in order, in batches of batchSize, in the Lambda event shape', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 7));
    const recorder = recordingHandler();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 3,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await waitUntil('all records are delivered', () => recorder.delivered().length === 7);
    // then
    expect(recorder.batches()).toEqual([range(101, 3), range(104, 3), range(107, 1)]);
    expect(recorder.events[0]?.Records[0]).toEqual({
      eventID: 'event-101',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      eventSourceARN: STREAM_ARN,
      dynamodb: {
        ApproximateCreationDateTime: 1767225610,
        Keys: { pk: { S: 'item-101' } },
        NewImage: { pk: { S: 'item-101' }, n: { N: '101' } },
        SequenceNumber: '101',
        SizeBytes: 20,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    await waitUntil('the checkpoint reaches the last record', () => runner.status().shards[0]?.checkpoint === '107');
  });

  it('resolves the stream of a table and fails clearly when the table has none', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID));
    const withStream = track(
      fastRunner({
        handler: async () => undefined,
        tableName: 'orders',
        streams,
        tables: fakeTables(STREAM_ARN),
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    const withoutStream = track(
      fastRunner({
        handler: async () => undefined,
        tableName: 'orders',
        streams,
        tables: fakeTables(undefined),
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await withStream.start();
    const failing = withoutStream.start();
    // then
    expect(withStream.status().streamArn).toBe(STREAM_ARN);
    await expect(failing).rejects.toThrow(StreamNotEnabledError);
    await expect(withoutStream.start()).rejects.toThrow('already started');
  });

  it('rejects invalid options naming them', () => {
    // when / then
    expect(
      () =>
        new StreamRunner({
          handler: async () => undefined,
          streamArn: STREAM_ARN,
          batchSize: 0,
          streams: new FakeStreams(),
          tables: fakeTables(STREAM_ARN),
        }),
    ).toThrow(InvalidRunnerOptionsError);
    expect(() => new StreamRunner({ handler: async () => undefined, streams: new FakeStreams(), tables: fakeTables(STREAM_ARN) })).toThrow(
      'give exactly one of tableName',
    );
  });

  it('after a partial failure checkpoints before the lowest failed record and resends from it, later records too', async () => {
    // given record 103 fails on the first delivery only
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 5));
    const recorder = recordingHandler((event, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: '104' }, { itemIdentifier: '103' }] } : undefined,
    );
    const results: BatchResultEvent[] = [];
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 5,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    runner.on('batch', (result) => results.push(result));
    // when
    await runner.start();
    await waitUntil('the retry succeeded', () => results.length === 2);
    // then
    expect(recorder.batches()).toEqual([range(101, 5), range(103, 3)]);
    expect(results.map((result) => [result.outcome, result.checkpoint, result.invokeCount])).toEqual([
      ['partial', '102', 1],
      ['success', '105', 2],
    ]);
  });

  it('gives a batch up after maxRetryAttempts retries, sends the on-failure record and moves on', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 4));
    const recorder = recordingHandler((event) => {
      if (includes(event, '101')) throw new Error('poison');
      return undefined;
    });
    const destination = capturingDestination();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 2,
        maxRetryAttempts: 2,
        onFailure: destination,
        functionName: 'indexer',
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await waitUntil('the next batch is processed', () => recorder.delivered().includes('104'));
    // then
    expect(recorder.batches()).toEqual([range(101, 2), range(101, 2), range(101, 2), range(103, 2)]);
    expect(destination.received).toHaveLength(1);
    expect(destination.received[0]).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
        functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:indexer',
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      DDBStreamBatchInfo: { shardId: SHARD_ID, startSequenceNumber: '101', endSequenceNumber: '102', batchSize: 2, streamArn: STREAM_ARN },
    });
    await waitUntil('checkpoint past the discarded batch', () => runner.status().shards[0]?.checkpoint === '104');
    expect(runner.status().totals).toMatchObject({ recordsDiscarded: 2, recordsProcessed: 2, onFailureRecordsSent: 1 });
  });

  it('bisects a failing batch down to the poison record and discards only that record', async () => {
    // given record 103 always makes the handler throw
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 4));
    const recorder = recordingHandler((event) => {
      if (includes(event, '103')) throw new Error('poison');
      return undefined;
    });
    const destination = capturingDestination();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 4,
        maxRetryAttempts: 1,
        bisectBatchOnError: true,
        onFailure: destination,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await waitUntil('the record after the poison is processed', () => runner.status().shards[0]?.checkpoint === '104');
    // then
    expect(recorder.batches()).toEqual([range(101, 4), ['101', '102'], ['103', '104'], ['103'], ['103'], ['104']]);
    expect(
      destination.received.map((record) => [
        record.DDBStreamBatchInfo.startSequenceNumber,
        record.DDBStreamBatchInfo.batchSize,
        record.requestContext.approximateInvokeCount,
      ]),
    ).toEqual([['103', 1, 2]]);
  });

  it('discards records older than maxRecordAgeSeconds without invoking, as RecordAgeExceeded', async () => {
    // given
    const now = Date.parse('2026-01-01T12:00:00.000Z');
    const streams = new FakeStreams().addShard(shard(SHARD_ID), [
      streamRecord(101, { createdAt: new Date(now - 120_000) }),
      streamRecord(102, { createdAt: new Date(now - 5_000) }),
    ]);
    const recorder = recordingHandler();
    const destination = capturingDestination();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        maxRecordAgeSeconds: 60,
        onFailure: destination,
        now: () => now,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await waitUntil('the young record is delivered', () => recorder.delivered().length === 1);
    // then
    expect(recorder.delivered()).toEqual(['102']);
    expect(destination.received[0]?.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
    expect(destination.received[0]?.DDBStreamBatchInfo).toMatchObject({
      startSequenceNumber: '101',
      endSequenceNumber: '101',
      batchSize: 1,
    });
  });

  it('holds the shard while the handler throws a configuration error: nothing checkpointed, bisected, given up or aged out', async () => {
    // given a handler that cannot load its configuration until `fixed`, and records that age past maxRecordAgeSeconds meanwhile
    const created = Date.parse('2026-01-01T12:00:00.000Z');
    let clock = created;
    const streams = new FakeStreams().addShard(shard(SHARD_ID), [
      streamRecord(101, { createdAt: new Date(created) }),
      streamRecord(102, { createdAt: new Date(created) }),
    ]);
    let fixed = false;
    const recorder = recordingHandler(() => {
      if (!fixed) throw new InvalidSyncConfigError('indexer', ['RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS']);
      return undefined;
    });
    const destination = capturingDestination();
    const discarded: unknown[] = [];
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        maxRetryAttempts: 1,
        bisectBatchOnError: true,
        maxRecordAgeSeconds: 60,
        onFailure: destination,
        now: () => clock,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    runner.on('discarded', (event) => discarded.push(event));
    // when
    await runner.start();
    await waitUntil('the handler was offered the batch more often than maxRetryAttempts allows', () => recorder.events.length >= 5);
    clock = created + 120_000;
    const offered = recorder.events.length;
    await waitUntil('the batch is offered again after the records aged', () => recorder.events.length >= offered + 2);
    // then
    const held = runner.status().shards[0];
    expect(held).toMatchObject({
      state: 'holding',
      checkpoint: undefined,
      recordsDiscarded: 0,
      recordsProcessed: 0,
      lastErrorAt: new Date(clock).toISOString(),
    });
    expect(held?.lastError).toContain('RETRY_BASE_DELAY_MS: must be ≤ RETRY_MAX_DELAY_MS');
    expect(new Set(recorder.batches().map((batch) => batch.join(',')))).toEqual(new Set(['101,102']));
    expect(destination.received).toEqual([]);
    expect(discarded).toEqual([]);
    expect(runner.isCaughtUp()).toBe(false);
    // when the configuration loads again
    fixed = true;
    await waitUntil('the held batch is processed', () => runner.status().shards[0]?.checkpoint === '102');
    expect(destination.received).toEqual([]);
    expect(runner.status().totals).toMatchObject({ recordsProcessed: 2, recordsDiscarded: 0 });
  });

  it('shows the error that stopped a shard worker, with its time; delivers the records before the bad one, holds there and restarts with backoff', async () => {
    // given a page whose third record cannot be turned into a Lambda record (its creation time is not a date)
    const broken = unconvertibleRecord(103);
    const streams = new FakeStreams().addShard(shard(SHARD_ID), [streamRecord(101), streamRecord(102), broken, streamRecord(104)]);
    const recorder = recordingHandler();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 10,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await waitUntil('the worker was restarted twice', () => (runner.status().shards[0]?.workerRestarts ?? 0) >= 2);
    // then
    const status = runner.status().shards[0];
    expect(recorder.batches()).toEqual([['101', '102']]);
    expect(status).toMatchObject({ checkpoint: '102', recordsProcessed: 2 });
    expect(['restarting', 'polling']).toContain(status?.state);
    expect(status?.lastError).toMatch(
      /^shard worker failed: UnconvertibleRecordError: Stream record 103 \(after 102\) cannot be delivered: TypeError: /,
    );
    expect(Date.now() - Date.parse(status?.lastErrorAt ?? '')).toBeLessThan(5_000);
    // when the record can be read again, the worker recovers from its checkpoint
    (streams.shards.get(SHARD_ID)?.records ?? [])[2] = streamRecord(103);
    await waitUntil('the rest of the shard is processed', () => runner.status().shards[0]?.checkpoint === '104');
    expect(recorder.delivered()).toEqual(range(101, 4));
  });

  it('restarts a worker that failed before its first checkpoint at the first record it read, even from LATEST', async () => {
    // given a runner starting at LATEST, and a first new record that cannot be converted
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 2));
    const recorder = recordingHandler();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        startPosition: 'LATEST',
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    await runner.start();
    await waitUntil('the shard is polled', () => runner.status().shards[0]?.state === 'polling');
    streams.put(SHARD_ID, unconvertibleRecord(103), streamRecord(104));
    // when the worker fails on it, and the record becomes readable
    await waitUntil('the worker failed', () => (runner.status().shards[0]?.workerRestarts ?? 0) >= 1);
    (streams.shards.get(SHARD_ID)?.records ?? [])[2] = streamRecord(103);
    // then nothing after LATEST is skipped
    await waitUntil('the new records are processed', () => runner.status().shards[0]?.checkpoint === '104');
    expect(recorder.delivered()).toEqual(['103', '104']);
  });

  it('keeps offering an on-failure record the destination refused, and never checkpoints past it before it is stored', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 1));
    const destination = capturingDestination(2);
    const runner = track(
      fastRunner({
        handler: async () => Promise.reject(new Error('down')),
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        maxRetryAttempts: 0,
        onFailure: destination,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await waitUntil('the record is stored', () => destination.received.length === 1);
    // then
    expect(destination.attempts).toBe(3);
    await waitUntil('checkpoint moves past the discarded record', () => runner.status().shards[0]?.checkpoint === '101');
  });

  it('reads a child shard only after its parent is closed and fully processed', async () => {
    // given a closed parent and two children, across DescribeStream pages of one shard
    const streams = new FakeStreams(1)
      .addShard(shard('child-1', { parent: 'parent' }), streamRecords(201, 2))
      .addShard(shard('parent', { closed: true }), streamRecords(101, 3))
      .addShard(shard('child-2', { parent: 'parent' }), streamRecords(301, 2));
    const recorder = recordingHandler(async () => {
      await sleep(5);
      return undefined;
    });
    const finished: string[] = [];
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 1,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    runner.on('shard-finished', (event) => finished.push(event.shardId));
    // when
    await runner.start();
    const atStart = runner.status().shards.map((status) => [status.shardId, status.state]);
    await waitUntil('all seven records are delivered', () => recorder.delivered().length === 7);
    // then
    const delivered = recorder.delivered();
    const lastParentRecord = delivered.indexOf('103');
    expect(delivered.slice(0, 3)).toEqual(['101', '102', '103']);
    expect(delivered.filter((sequenceNumber) => sequenceNumber.startsWith('2'))).toEqual(['201', '202']);
    expect(delivered.indexOf('201')).toBeGreaterThan(lastParentRecord);
    expect(delivered.indexOf('301')).toBeGreaterThan(lastParentRecord);
    expect(finished).toEqual(['parent']);
    expect(atStart).toEqual([
      ['parent', expect.any(String)],
      ['child-1', 'waiting-for-parent'],
      ['child-2', 'waiting-for-parent'],
    ]);
  });

  it('picks up shards that appear after startup', async () => {
    // given
    const streams = new FakeStreams().addShard(shard('first', { closed: true }), streamRecords(101, 1));
    const recorder = recordingHandler();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        startPosition: 'LATEST',
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    await runner.start();
    // when a split creates a new shard while running
    streams.addShard(shard('second', { parent: 'first' }), streamRecords(201, 2));
    await waitUntil('the new shard is read', () => recorder.delivered().length === 2);
    // then: the closed shard was skipped (LATEST), the new one read from its start
    expect(recorder.delivered()).toEqual(['201', '202']);
  });

  it('re-opens an expired iterator after the last record read, without loss or duplicates', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 2));
    const recorder = recordingHandler();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    await runner.start();
    await waitUntil('the first records are delivered', () => recorder.delivered().length === 2);
    // when
    streams.expireIterators();
    streams.put(SHARD_ID, ...streamRecords(103, 2));
    await waitUntil('the later records are delivered', () => recorder.delivered().length === 4);
    // then
    expect(recorder.delivered()).toEqual(range(101, 4));
    expect(streams.calls).toContain(`getShardIterator:${SHARD_ID}:AFTER_SEQUENCE_NUMBER:102`);
  });

  it('reports a gap and restarts at TRIM_HORIZON when the checkpoint was trimmed away', async () => {
    // given a checkpoint at 101 while records up to 103 were trimmed
    const checkpointFile = await tempCheckpointFile();
    await (await CheckpointStore.open(checkpointFile)).checkpoint(STREAM_ARN, SHARD_ID, '101');
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 5));
    streams.trim(SHARD_ID, 3);
    const recorder = recordingHandler();
    const gaps: GapEvent[] = [];
    const runner = track(
      fastRunner({ handler: recorder.handler, streamArn: STREAM_ARN, streams, tables: fakeTables(STREAM_ARN), checkpointFile }),
    );
    runner.on('gap', (gap) => gaps.push(gap));
    // when
    await runner.start();
    await waitUntil('the retained records are delivered', () => recorder.delivered().length === 2);
    // then
    expect(recorder.delivered()).toEqual(['104', '105']);
    expect(gaps).toEqual([expect.objectContaining({ shardId: SHARD_ID, afterSequenceNumber: '101' })]);
    expect(runner.status().totals.gaps).toBe(1);
  });

  it('resumes after the checkpoint on restart, and starts fresh on a new stream ARN', async () => {
    // given a first run that processed 101–103
    const checkpointFile = await tempCheckpointFile();
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 3));
    const first = recordingHandler();
    const firstRun = fastRunner({ handler: first.handler, streamArn: STREAM_ARN, streams, tables: fakeTables(STREAM_ARN), checkpointFile });
    await firstRun.start();
    await waitUntil('the first run processed everything', () => firstRun.status().shards[0]?.checkpoint === '103');
    await firstRun.stop();
    streams.put(SHARD_ID, ...streamRecords(104, 2));
    // when
    const second = recordingHandler();
    const secondRun = track(
      fastRunner({ handler: second.handler, streamArn: STREAM_ARN, streams, tables: fakeTables(STREAM_ARN), checkpointFile }),
    );
    await secondRun.start();
    const third = recordingHandler();
    const reEnabled = `${STREAM_ARN.slice(0, -3)}999`;
    const thirdRun = track(
      fastRunner({
        handler: third.handler,
        streamArn: reEnabled,
        streams,
        tables: fakeTables(reEnabled),
        checkpointFile: `${checkpointFile}.other`,
      }),
    );
    await thirdRun.start();
    // then
    await waitUntil('the restart delivered the new records', () => second.delivered().length === 2);
    expect(second.delivered()).toEqual(['104', '105']);
    await waitUntil('the new stream is read from the start', () => third.delivered().length === 5);
  });

  it('on stop lets the in-flight invocation finish and checkpoints it, but nothing after it', async () => {
    // given a slow handler
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 4));
    let release: () => void = () => undefined;
    const recorder = recordingHandler(() => new Promise<undefined>((resolve) => (release = () => resolve(undefined))));
    const checkpointFile = await tempCheckpointFile();
    const runner = fastRunner({
      handler: recorder.handler,
      streamArn: STREAM_ARN,
      streams,
      tables: fakeTables(STREAM_ARN),
      batchSize: 2,
      checkpointFile,
    });
    await runner.start();
    await waitUntil('the first batch is in flight', () => recorder.events.length === 1);
    // when
    const stopping = runner.stop();
    release();
    await stopping;
    // then
    expect(recorder.batches()).toEqual([range(101, 2)]);
    expect((await CheckpointStore.open(checkpointFile)).get(STREAM_ARN, SHARD_ID)?.sequenceNumber).toBe('102');
    expect(runner.status().state).toBe('stopped');
  });

  it('abandons an invocation that outlives the stop grace period without checkpointing it', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 1));
    const checkpointFile = await tempCheckpointFile();
    const recorder = recordingHandler(() => new Promise<undefined>(() => undefined));
    const runner = fastRunner({
      handler: recorder.handler,
      streamArn: STREAM_ARN,
      streams,
      tables: fakeTables(STREAM_ARN),
      stopGraceMs: 20,
      checkpointFile,
    });
    await runner.start();
    await waitUntil('the batch is in flight', () => recorder.events.length === 1);
    // when
    await runner.stop();
    // then
    expect((await CheckpointStore.open(checkpointFile)).get(STREAM_ARN, SHARD_ID)).toBeUndefined();
  });

  it('reports lag, records behind and throughput per shard', async () => {
    // given
    let now = Date.parse('2026-01-01T00:01:00.000Z');
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 3, { createdAt: new Date('2026-01-01T00:00:00.000Z') }));
    let release: () => void = () => undefined;
    const recorder = recordingHandler((_event, call) =>
      call === 1 ? undefined : new Promise<undefined>((resolve) => (release = () => resolve(undefined))),
    );
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 1,
        now: () => now,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await waitUntil('the second batch is in flight', () => recorder.events.length === 2);
    now += 1_000;
    const status = runner.status();
    release();
    // then
    expect(status.state).toBe('running');
    expect(status.shards[0]).toMatchObject({
      shardId: SHARD_ID,
      state: 'invoking',
      checkpoint: '101',
      lagMs: 61_000,
      caughtUp: false,
      recordsProcessed: 1,
      throughputPerSecond: 0.1,
    });
    expect(status.shards[0]?.recordsBehind).toBeGreaterThanOrEqual(1);
    expect(status.totals).toMatchObject({ recordsProcessed: 1, maxLagMs: 61_000, batchesInvoked: 1 });
    expect(JSON.parse(JSON.stringify(status))).toEqual(JSON.parse(JSON.stringify(status)));
  });

  it('drained() resolves once every record is processed and nothing new came for quietMs', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 5));
    const recorder = recordingHandler();
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        batchSize: 2,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    await runner.drained({ timeoutMs: 5_000, quietMs: 100 });
    // then
    expect(recorder.delivered()).toEqual(range(101, 5));
    expect(runner.isCaughtUp()).toBe(true);
  });

  it('drained() rejects, naming the wait, while a batch keeps failing', async () => {
    // given
    const streams = new FakeStreams().addShard(shard(SHARD_ID), streamRecords(101, 2));
    const recorder = recordingHandler(() => {
      throw new Error('OpenSearch unreachable');
    });
    const runner = track(
      fastRunner({
        handler: recorder.handler,
        streamArn: STREAM_ARN,
        streams,
        tables: fakeTables(STREAM_ARN),
        maxRetryAttempts: -1,
        checkpointFile: await tempCheckpointFile(),
      }),
    );
    // when
    await runner.start();
    // then
    await expect(runner.drained({ timeoutMs: 300, quietMs: 50 })).rejects.toThrow(/did not drain within 300 ms/);
    expect(runner.isCaughtUp()).toBe(false);
  });
});

/** A record the runner cannot turn into Lambda's shape: the SDK's date is not a Date (a malformed page). */
function unconvertibleRecord(sequence: number): ReturnType<typeof streamRecord> {
  const record = streamRecord(sequence);
  (record.dynamodb as { ApproximateCreationDateTime: unknown }).ApproximateCreationDateTime = 'not a date';
  return record;
}
