import type { IndexRoute } from '@ddb-os/opensearch-mapping';
import { Command } from 'commander';
import { envelopeOf, startBench } from '../bench-start';
import { DEFAULT_HANDLER, SYNTHETIC_SCHEMA, WORKLOAD_SHARES } from '../constants';
import { timeHandler, timeSteps } from '../handler-run';
import { recordHttp } from '../http-timing';
import { indexerVariables } from '../lambda';
import { loadHandler, openSearchClient, sqsClient, stackEndpoints, uniqueName, type StreamHandler } from '../local';
import { commonOptions, numberList, runMain, wholeNumber, withCommonOptions } from '../options';
import { markdownTable, resultMarkdown, writeResult } from '../report';
import { createQueue, deleteIndexes, deleteQueue, hostAndPort } from '../resources';
import { medianOfRuns, withSpread } from '../stats';
import { syntheticBatches } from '../synthetic';
import { numericFigures, throughputRun } from '../throughput';
import type { BenchResult, CommonOptions, HttpRecorder, SyntheticWorkload, ThroughputRun, WorkloadCounts } from '../types';

const BENCH = 'indexer-throughput';

/** One measured configuration: item size × batch size. */
export interface ThroughputConfiguration {
  readonly itemBytes: number;
  readonly batchSize: number;
  readonly workload: WorkloadCounts;
  readonly runs: readonly ThroughputRun[];
  readonly median: Record<keyof ThroughputRun, number>;
}

export type ThroughputResult = BenchResult<{ readonly configurations: readonly ThroughputConfiguration[] }>;

interface ThroughputOptions extends CommonOptions {
  readonly handler: string;
  readonly batchSizes: readonly number[];
  readonly itemSizes: readonly number[];
  readonly records: number;
  readonly hotKeys: number;
}

function parseOptions(argv: readonly string[]): ThroughputOptions {
  const program = withCommonOptions(new Command(BENCH))
    .description('Records/s and CPU per record of an indexer handler on synthetic Lambda batches, split into decode / plan+coalesce / OpenSearch')
    .option('--handler <path#export>', 'the handler module and export (any Lambda DynamoDB-stream handler)', DEFAULT_HANDLER)
    .option('--batch-sizes <list>', 'records per batch', '100,1000')
    .option('--item-bytes <list>', 'approximate item sizes in bytes', '1024,10240')
    .option('--records <n>', 'records per run and configuration (rounded up to whole batches)', '4000')
    .option('--hot-keys <n>', 'keys the updates go to', '50');
  program.parse([...argv], { from: 'user' });
  const raw = program.opts<Record<string, string | boolean | undefined>>();
  const common = commonOptions(raw as Parameters<typeof commonOptions>[0]);
  return {
    ...common,
    handler: String(raw['handler']),
    batchSizes: common.quick ? [100] : numberList('--batch-sizes', String(raw['batchSizes'])),
    itemSizes: common.quick ? [1024] : numberList('--item-bytes', String(raw['itemBytes'])),
    records: common.quick ? 300 : wholeNumber('--records', String(raw['records'])),
    hotKeys: wholeNumber('--hot-keys', String(raw['hotKeys'])),
  };
}

/**
 * Runs the bench: `npx nx run bench:indexer-throughput [-- --handler path#export --runs 3 ...]`.
 * Writes `docs/benchmarks/indexer-throughput.{json,md}` and returns the result.
 */
export async function indexerThroughput(argv: readonly string[]): Promise<ThroughputResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH, [`seed ${options.seed}`, `handler ${options.handler}`]);

  const endpoints = stackEndpoints();
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const index = uniqueName('bench-tp');
  const routes: IndexRoute[] = [{ index, schema: SYNTHETIC_SCHEMA, match: { always: true } }];
  const dlqUrl = await createQueue(sqs, uniqueName('bench-tp-dlq'));
  Object.assign(process.env, indexerVariables({ openSearchNode: endpoints.opensearch, routes, keyAttributes: ['pk', 'sk'], dlqUrl, sqsEndpoint: endpoints.sqs }));
  const handler = loadHandler(options.handler);
  const recorder = recordHttp(hostAndPort(endpoints.opensearch));
  const sequence = { next: 1_000_000n };
  try {
    // Warm-up (index creation, JIT): not counted.
    await measure(handler, recorder, routes, workloadFor(options, 'warm', options.batchSizes[0] ?? 100, options.itemSizes[0] ?? 1024, sequence));
    const configurations: ThroughputConfiguration[] = [];
    for (const itemBytes of options.itemSizes) {
      for (const batchSize of options.batchSizes) {
        const runs: ThroughputRun[] = [];
        let workload: WorkloadCounts | undefined;
        for (let run = 1; run <= options.runs; run += 1) {
          const measured = await measure(handler, recorder, routes, workloadFor(options, `r${run}`, batchSize, itemBytes, sequence));
          workload = measured.counts;
          runs.push(measured.run);
          console.log(`${BENCH}: ${itemBytes} B × ${batchSize}/batch, run ${run}: ${measured.run.recordsPerSecond} records/s, ${measured.run.cpuUsPerRecord} µs CPU/record`);
        }
        configurations.push({ itemBytes, batchSize, workload: workload as WorkloadCounts, runs, median: medianOfRuns(runs.map(numericFigures)) });
      }
    }
    const result: ThroughputResult = {
      ...envelopeOf(BENCH, argv, start),
      settings: {
        handler: options.handler,
        seed: options.seed,
        runs: options.runs,
        recordsPerRun: options.records,
        hotKeys: options.hotKeys,
        ...WORKLOAD_SHARES,
        route: routes[0],
        openSearch: endpoints.opensearch,
        invocation: 'in-process, one batch at a time (one shard), after one un-timed warm-up run',
        logLevel: process.env['POWERTOOLS_LOG_LEVEL'],
      },
      quick: options.quick,
      notes: [
        'records/s = records ÷ handler wall time (decode + plan + _mget + _bulk + dead-lettering); OpenSearch ms = time with a request to OpenSearch in flight (node:http diagnostics channel).',
        'decode and plan+coalesce are the @ddb-os pieces timed alone on the same batches (CPU µs per record); they are part of "other" in the handler timing.',
        'CPU is process.cpuUsage() of this process (handler, HTTP client, GC); OpenSearch runs on the same 2 cores and is not counted in it.',
      ],
      configurations,
    };
    const path = writeResult(options.outDir, result, markdown(result));
    console.log(`${BENCH}: wrote ${path}`);
    return result;
  } finally {
    recorder.stop();
    await deleteIndexes(openSearch, index);
    await deleteQueue(sqs, dlqUrl);
  }
}

function workloadFor(options: ThroughputOptions, run: string, batchSize: number, itemBytes: number, sequence: { next: bigint }): SyntheticWorkload {
  const batches = Math.max(1, Math.ceil((run === 'warm' ? Math.min(options.records, 1000) : options.records) / batchSize));
  const workload: SyntheticWorkload = {
    seed: options.seed,
    batches,
    batchSize,
    itemBytes,
    ...WORKLOAD_SHARES,
    hotKeys: options.hotKeys,
    keyPrefix: `${run}-b${batchSize}-i${itemBytes}`,
    firstSequenceNumber: sequence.next,
    createdAtSeconds: Math.floor(Date.now() / 1000),
  };
  sequence.next += BigInt(batches * batchSize);
  return workload;
}

async function measure(handler: StreamHandler, recorder: HttpRecorder, routes: readonly IndexRoute[], workload: SyntheticWorkload): Promise<{ run: ThroughputRun; counts: WorkloadCounts }> {
  const { events, counts } = syntheticBatches(workload);
  const timings = await timeHandler(handler, events, recorder);
  return { run: throughputRun(timings, timeSteps(events, routes)), counts };
}

function markdown(result: ThroughputResult): string {
  const rows = result.configurations.map(({ itemBytes, batchSize, median, runs }) => [
    `${itemBytes / 1024} KB`,
    batchSize,
    withSpread(runs.map((run) => run.recordsPerSecond)),
    median.cpuUsPerRecord,
    median.decodeUsPerRecord,
    median.planUsPerRecord,
    median.openSearchMsPerBatch,
    median.otherMsPerBatch,
    `${Math.round(median.openSearchShare * 100)} %`,
    median.redeliveries,
  ]);
  const table = markdownTable(
    ['item', 'batch', 'records/s (min–max)', 'CPU µs/record', 'decode µs/record', 'plan+coalesce µs/record', 'OpenSearch ms/batch', 'other ms/batch', 'OpenSearch share', 'redeliveries'],
    rows,
  );
  return resultMarkdown(result, 'Indexer throughput', [`Medians of ${result.settings['runs']} runs, handler \`${result.settings['handler']}\`.`, table]);
}

if (require.main === module) runMain(async () => void (await indexerThroughput(process.argv.slice(2))));
