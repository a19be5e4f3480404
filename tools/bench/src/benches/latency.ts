import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { documentId, type IndexRoute } from '@ddb-os/opensearch-mapping';
import type { Client } from '@opensearch-project/opensearch';
import { Command } from 'commander';
import { envelopeOf, startBench } from '../bench-start';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_HANDLER, LAMBDA_POLL_INTERVAL_MS } from '../constants';
import { indexerVariables } from '../lambda';
import { LatencyTracker, latencyRun } from '../latency';
import { createStreamTable, deleteTable, dynamoClient, jsonLogger, loadHandler, openSearchClient, sqsClient, stackEndpoints, StreamRunner, uniqueName } from '../local';
import { commonOptions, runMain, wholeNumber, withCommonOptions } from '../options';
import { markdownTable, resultMarkdown, writeResult } from '../report';
import { createQueue, deleteIndexes, deleteQueue } from '../resources';
import { median } from '../stats';
import { sleep } from '../timing';
import type { BenchResult, CommonOptions, LatencyRun } from '../types';

const BENCH = 'latency';
const SEARCH_POLL_MS = 50;
const DRAIN_TIMEOUT_MS = 60_000;

export type LatencyResult = BenchResult<{ readonly runs: readonly LatencyRun[]; readonly median: Record<'fromSendP50' | 'fromSendP95' | 'fromSendP99' | 'fromAckP50' | 'fromAckP95' | 'fromAckP99', number> }>;

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
  program.parse([...argv], { from: 'user' });
  const raw = program.opts<Record<string, string | boolean | undefined>>();
  const common = commonOptions(raw as Parameters<typeof commonOptions>[0]);
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
  const endpoints = stackEndpoints();
  const dynamo = dynamoClient();
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const table = uniqueName('bench-lat');
  const index = uniqueName('bench-lat');
  const routes: IndexRoute[] = [{ index, match: { always: true } }];
  const checkpointDir = mkdtempSync(path.join(tmpdir(), 'bench-latency-'));
  const dlqUrl = await createQueue(sqs, uniqueName('bench-lat-dlq'));
  await createStreamTable(dynamo, table);
  Object.assign(process.env, indexerVariables({ openSearchNode: endpoints.opensearch, routes, keyAttributes: ['pk', 'sk'], dlqUrl, sqsEndpoint: endpoints.sqs }));
  const runnerSettings = { batchSize: options.batchSize, batchingWindowMs: 0, pollIntervalMs: LAMBDA_POLL_INTERVAL_MS, idlePollMaxMs: LAMBDA_POLL_INTERVAL_MS, maxRetryAttempts: 3, bisectBatchOnError: true };
  const runner = new StreamRunner({
    handler: loadHandler(options.handler),
    tableName: table,
    checkpointFile: path.join(checkpointDir, 'checkpoint.json'),
    logger: jsonLogger(process.stderr, 'warn'),
    ...runnerSettings,
  });
  await runner.start();
  try {
    // Warm-up: the index is created by the first batch; not counted.
    await measureRun({ dynamo, openSearch, table, index, options, run: 0, writes: Math.min(40, options.writes) });
    const runs: LatencyRun[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      const figures = await measureRun({ dynamo, openSearch, table, index, options, run, writes: options.writes });
      runs.push(figures);
      console.log(`${BENCH}: run ${run}: p50 ${figures.fromSend.p50} ms, p95 ${figures.fromSend.p95} ms, p99 ${figures.fromSend.p99} ms (from send; ${figures.notSeen} not seen)`);
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
        route: routes[0],
      },
      quick: options.quick,
      notes: [
        'latency = from just before PutItem is sent (fromSend) or from its acknowledgement (fromAck) to the first search on the read alias that returns the new version.',
        `the search runs every ${SEARCH_POLL_MS} ms for all writes in flight (one request), so figures include up to ${SEARCH_POLL_MS} ms of polling granularity; they include moto's stream, the runner's ${LAMBDA_POLL_INTERVAL_MS} ms polling and OpenSearch's 1 s refresh.`,
        'writer, runner, indexer and poller share this process; moto and OpenSearch run on the same 2 cores.',
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
    const file = writeResult(options.outDir, result, markdown(result));
    console.log(`${BENCH}: wrote ${file}`);
    return result;
  } finally {
    await runner.stop();
    await deleteIndexes(openSearch, index);
    await deleteQueue(sqs, dlqUrl);
    await deleteTable(dynamo, table);
    rmSync(checkpointDir, { recursive: true, force: true });
  }
}

interface RunContext {
  readonly dynamo: DynamoDBClient;
  readonly openSearch: Client;
  readonly table: string;
  readonly index: string;
  readonly options: LatencyOptions;
  readonly run: number;
  readonly writes: number;
}

async function measureRun(context: RunContext): Promise<LatencyRun> {
  const tracker = new LatencyTracker();
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
  return latencyRun(tracker.results(), { writes: context.writes, notSeen: tracker.pendingCount(), durationMs });
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
        const response = await client.search({ index, body: { query: { ids: { values: ids } }, _source: ['version'], size: ids.length } }).catch(() => undefined);
        const at = performance.now();
        const hits = (response?.body as { hits?: { hits?: Array<{ _id: string; _source?: { version?: number } }> } } | undefined)?.hits?.hits ?? [];
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
  const rows = result.runs.map((run, position) => [position + 1, run.writes, run.achievedRate, run.fromSend.p50, run.fromSend.p95, run.fromSend.p99, run.fromSend.max, run.fromAck.p50, run.notSeen]);
  const { median: m } = result;
  return resultMarkdown(result, 'Write → searchable latency', [
    `Median over ${result.runs.length} runs: **p50 ${m.fromSendP50} ms, p95 ${m.fromSendP95} ms, p99 ${m.fromSendP99} ms** from PutItem sent (from its acknowledgement: p50 ${m.fromAckP50}, p95 ${m.fromAckP95}, p99 ${m.fromAckP99} ms).`,
    markdownTable(['run', 'writes', 'writes/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'p50 from ack ms', 'not seen'], rows),
  ]);
}

if (require.main === module) runMain(async () => void (await latency(process.argv.slice(2))));
