import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { documentId } from '@ddb-os/opensearch-mapping';
import type { Client } from '@opensearch-project/opensearch';
import { Command } from 'commander';
import { envelopeOf, startBench } from '../bench-start';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_HANDLER, LAMBDA_POLL_INTERVAL_MS } from '../constants';
import { startIndexerFixture } from '../indexer-fixture';
import { LatencyTracker, latencyRun, PIPELINE_STAGES } from '../latency';
import {
  createStreamTable,
  deleteTable,
  dynamoClient,
  jsonLogger,
  streamsClient,
  StreamRunner,
  uniqueName,
  type StreamHandler,
} from '../local';
import { parseCommand, runMain, wholeNumber, withCommonOptions } from '../options';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { median } from '../stats';
import { startStreamProbe } from '../stream-probe';
import { sleep } from '../timing';
import type { BenchResult, CommonOptions, LatencyRun, LatencySummary, PipelineStage } from '../types';

const BENCH = 'latency';
const SEARCH_POLL_MS = 50;
const DRAIN_TIMEOUT_MS = 60_000;
const STREAM_PROBE_POLL_MS = 50;

export type LatencyResult = BenchResult<{
  readonly runs: readonly LatencyRun[];
  readonly median: Record<'fromSendP50' | 'fromSendP95' | 'fromSendP99' | 'fromAckP50' | 'fromAckP95' | 'fromAckP99', number>;
}>;

interface LatencyOptions extends CommonOptions {
  readonly handler: string;
  readonly writes: number;
  readonly rate: number;
  readonly keys: number;
  readonly itemBytes: number;
  readonly batchSize: number;
}

function parseOptions(argv: readonly string[]): LatencyOptions {
  const program = withCommonOptions(new Command(BENCH))
    .description('Write to DynamoDB (moto) → searchable in OpenSearch, through the stream runner and the indexer in-process')
    .option('--handler <path#export>', 'the handler module and export', DEFAULT_HANDLER)
    .option('--writes <n>', 'writes per run', '1000')
    .option('--rate <n>', 'writes per second (steady)', '20')
    .option('--keys <n>', 'distinct items written in turn', '200')
    .option('--item-bytes <n>', 'approximate item size', '1024')
    .option('--batch-size <n>', "the event source mapping's batch size", '100');
  const { raw, common } = parseCommand(program, argv);
  return {
    ...common,
    handler: String(raw['handler']),
    writes: common.quick ? 60 : wholeNumber('--writes', String(raw['writes'])),
    rate: wholeNumber('--rate', String(raw['rate'])),
    keys: wholeNumber('--keys', String(raw['keys'])),
    itemBytes: wholeNumber('--item-bytes', String(raw['itemBytes'])),
    batchSize: wholeNumber('--batch-size', String(raw['batchSize'])),
  };
}

/** Runs the bench: `npx nx run bench:latency`. Writes `docs/benchmarks/latency.{json,md}`. */
export async function latency(argv: readonly string[]): Promise<LatencyResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH);
  const dynamo = dynamoClient();
  const table = uniqueName('bench-lat');
  const index = uniqueName('bench-lat');
  const checkpointDir = mkdtempSync(path.join(tmpdir(), 'bench-latency-'));
  const fixture = await startIndexerFixture({ sync: 'bench-schemaless', indexes: { index }, dlqPrefix: 'bench-lat-dlq' });
  const { openSearch } = fixture;
  await createStreamTable(dynamo, table);
  const runnerSettings = {
    batchSize: options.batchSize,
    batchingWindowMs: 0,
    pollIntervalMs: LAMBDA_POLL_INTERVAL_MS,
    idlePollMaxMs: LAMBDA_POLL_INTERVAL_MS,
    maxRetryAttempts: 3,
    bisectBatchOnError: true,
  };
  // One tracker per run; the handler marks the records of each invocation in the current one.
  const current: { tracker?: LatencyTracker } = {};
  const runner = new StreamRunner({
    handler: markingHandler(fixture.loadIndexer(options.handler), current),
    tableName: table,
    checkpointFile: path.join(checkpointDir, 'checkpoint.json'),
    logger: jsonLogger(process.stderr, 'warn'),
    ...runnerSettings,
  });
  await runner.start();
  try {
    // Warm-up: the index is created by the first batch; not counted.
    const streams = streamsClient();
    const context = { dynamo, streams, openSearch, table, index, options, current };
    await measureRun({ ...context, run: 0, writes: Math.min(40, options.writes) });
    const runs: LatencyRun[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      const figures = await measureRun({ ...context, run, writes: options.writes });
      runs.push(figures);
      console.log(
        `${BENCH}: run ${run}: ${figures.achievedRate} writes/s; from ack p50 ${figures.fromAck.p50} ms, p99 ${figures.fromAck.p99} ms; from send p50 ${figures.fromSend.p50} ms, p99 ${figures.fromSend.p99} ms (${figures.notSeen} not seen)`,
      );
      console.log(`${BENCH}: run ${run} stages (p50 / p99 ms): ${stageLine(figures)}`);
    }
    const result: LatencyResult = {
      ...envelopeOf(BENCH, argv, start),
      settings: {
        handler: options.handler,
        writesPerRun: options.writes,
        ratePerSecond: options.rate,
        keys: options.keys,
        itemBytes: options.itemBytes,
        runner: runnerSettings,
        searchPollMs: SEARCH_POLL_MS,
        refreshInterval: '1s (index default)',
        sync: 'bench-schemaless',
        route: fixture.routing.routes[0],
      },
      quick: options.quick,
      notes: [
        'latency = from just before PutItem is sent (fromSend) or from its acknowledgement (fromAck) to the first search on the read alias that returns the new version.',
        `the search runs every ${SEARCH_POLL_MS} ms for all writes in flight (one request), so figures include up to ${SEARCH_POLL_MS} ms of polling granularity; they include moto's stream, the runner's ${LAMBDA_POLL_INTERVAL_MS} ms polling and OpenSearch's 1 s refresh.`,
        'writer, runner, indexer and poller share this process; moto and OpenSearch run on the same 2 cores.',
        `stages, from the PutItem acknowledgement: stream = the first GetRecords of the bench's own stream reader (LATEST iterators, polled every ${STREAM_PROBE_POLL_MS} ms) that returns the record — moto's figure, independent of the runner; delivered = the runner invokes the handler with it; indexed = that invocation returned; searchable = the first search that finds it (or a later version). step = from the stage before.`,
      ],
      runs,
      median: {
        fromSendP50: median(runs.map((run) => run.fromSend.p50)),
        fromSendP95: median(runs.map((run) => run.fromSend.p95)),
        fromSendP99: median(runs.map((run) => run.fromSend.p99)),
        fromAckP50: median(runs.map((run) => run.fromAck.p50)),
        fromAckP95: median(runs.map((run) => run.fromAck.p95)),
        fromAckP99: median(runs.map((run) => run.fromAck.p99)),
      },
    };
    publishResult(options.outDir, result, markdown(result));
    return result;
  } finally {
    await runner.stop();
    await fixture.cleanUp();
    await deleteTable(dynamo, table);
    rmSync(checkpointDir, { recursive: true, force: true });
  }
}

interface RunContext {
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly current: { tracker?: LatencyTracker };
  readonly openSearch: Client;
  readonly table: string;
  readonly index: string;
  readonly options: LatencyOptions;
  readonly run: number;
  readonly writes: number;
}

async function measureRun(context: RunContext): Promise<LatencyRun> {
  const tracker = new LatencyTracker();
  context.current.tracker = tracker;
  const probe = await startStreamProbe(
    context.streams,
    context.table,
    (record, at) => markRecord(tracker, 'stream', record.dynamodb?.NewImage, at),
    STREAM_PROBE_POLL_MS,
  );
  const poller = pollIndex(context.openSearch, context.index, tracker);
  const start = performance.now();
  const intervalMs = 1000 / context.options.rate;
  const inFlight: Promise<void>[] = [];
  for (let write = 0; write < context.writes; write += 1) {
    await sleep(start + write * intervalMs - performance.now());
    inFlight.push(putVersion(context, tracker, write));
  }
  await Promise.all(inFlight);
  const durationMs = performance.now() - start;
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (tracker.pendingCount() > 0 && performance.now() < deadline) await sleep(SEARCH_POLL_MS);
  poller.stop();
  await poller.done;
  await probe.stop();
  return latencyRun(tracker.results(), { writes: context.writes, notSeen: tracker.pendingCount(), durationMs }, tracker.stageBreakdown());
}

/** The handler as the runner calls it, marking when each record is delivered and when its invocation returned. */
function markingHandler(handler: StreamHandler, current: { tracker?: LatencyTracker }): StreamHandler {
  return async (event, lambdaContext) => {
    const tracker = current.tracker;
    const images = event.Records.map((record) => record.dynamodb?.NewImage);
    const deliveredAt = performance.now();
    if (tracker !== undefined) for (const image of images) markRecord(tracker, 'delivered', image, deliveredAt);
    const result = await handler(event, lambdaContext);
    const indexedAt = performance.now();
    if (tracker !== undefined) for (const image of images) markRecord(tracker, 'indexed', image, indexedAt);
    return result;
  };
}

/** Marks the write a stream record carries (its NewImage's keys and version); deletes and other records carry none. */
function markRecord(
  tracker: LatencyTracker,
  stage: 'stream' | 'delivered' | 'indexed',
  image: Record<string, { S?: string; N?: string }> | undefined,
  at: number,
): void {
  const pk = image?.['pk']?.S;
  const sk = image?.['sk']?.S;
  const version = Number(image?.['version']?.N);
  if (pk === undefined || sk === undefined || !Number.isSafeInteger(version)) return;
  tracker.mark(stage, documentId({ pk, sk }, ['pk', 'sk']), version, at);
}

function stageLine(run: LatencyRun): string {
  const stages = run.stages;
  if (stages === undefined) return 'none';
  const figure = (summary: LatencySummary | undefined): string => (summary === undefined ? '–' : `${summary.p50} / ${summary.p99}`);
  return [
    `putItem ${figure(stages.putItem)}`,
    ...PIPELINE_STAGES.map((stage: PipelineStage) => `${stage} +${figure(stages.step[stage])} (=${figure(stages.fromAck[stage])})`),
  ].join(', ');
}

async function putVersion(context: RunContext, tracker: LatencyTracker, write: number): Promise<void> {
  const keys = { pk: `LAT#${context.run}-${write % context.options.keys}`, sk: 'ITEM' };
  const version = write + 1;
  const item = { ...keys, version, writtenAt: new Date().toISOString(), payload: 'x'.repeat(Math.max(0, context.options.itemBytes - 120)) };
  const sentAt = performance.now();
  await context.dynamo.send(new PutItemCommand({ TableName: context.table, Item: marshall(item) }));
  tracker.register(documentId(keys, ['pk', 'sk']), version, sentAt, performance.now());
}

/** One search on the read alias every SEARCH_POLL_MS for every write in flight. */
function pollIndex(client: Client, index: string, tracker: LatencyTracker): { stop(): void; done: Promise<void> } {
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const ids = tracker.pendingIds();
      if (ids.length > 0) {
        const response = await client
          .search({ index, body: { query: { ids: { values: ids } }, _source: ['version'], size: ids.length } })
          .catch(() => undefined);
        const at = performance.now();
        const hits =
          (response?.body as { hits?: { hits?: Array<{ _id: string; _source?: { version?: number } }> } } | undefined)?.hits?.hits ?? [];
        for (const hit of hits) if (typeof hit._source?.version === 'number') tracker.observe(hit._id, hit._source.version, at);
      }
      await sleep(SEARCH_POLL_MS);
    }
  };
  const done = loop();
  return {
    stop: () => {
      running = false;
    },
    done,
  };
}

function markdown(result: LatencyResult): string {
  const rows = result.runs.map((run, position) => [
    position + 1,
    run.writes,
    run.achievedRate,
    run.fromSend.p50,
    run.fromSend.p95,
    run.fromSend.p99,
    run.fromSend.max,
    run.fromAck.p50,
    run.fromAck.p99,
    run.notSeen,
  ]);
  const { median: m } = result;
  const figure = (summary: LatencySummary | undefined): string => (summary === undefined ? '–' : `${summary.p50} / ${summary.p99}`);
  const stageRows = result.runs.flatMap((run, position) =>
    run.stages === undefined
      ? []
      : [
          [
            position + 1,
            figure(run.stages.putItem),
            ...PIPELINE_STAGES.map((stage) => `+${figure(run.stages?.step[stage])} (${figure(run.stages?.fromAck[stage])})`),
          ],
        ],
  );
  return resultMarkdown(result, 'Write → searchable latency', [
    `Median over ${result.runs.length} runs: **p50 ${m.fromSendP50} ms, p95 ${m.fromSendP95} ms, p99 ${m.fromSendP99} ms** from PutItem sent (from its acknowledgement: p50 ${m.fromAckP50}, p95 ${m.fromAckP95}, p99 ${m.fromAckP99} ms).`,
    markdownTable(
      ['run', 'writes', 'writes/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'p50 from ack ms', 'p99 from ack ms', 'not seen'],
      rows,
    ),
    '**Where the time goes** (p50 / p99 ms; each stage: +time from the stage before (time from the PutItem acknowledgement))',
    markdownTable(
      ['run', 'PutItem send → ack', 'ack → in the stream (moto)', '→ runner delivers', '→ handler returned', '→ searchable'],
      stageRows,
    ),
  ]);
}

if (require.main === module) runMain(async () => void (await latency(process.argv.slice(2))));
