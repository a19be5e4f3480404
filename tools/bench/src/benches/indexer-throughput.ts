import type { SyncRouting } from '@ddb-os/sync-config';
import { Command } from 'commander';
import { envelopeOf, startBench } from '../bench-start';
import { SYNTHETIC_SYNC, WORKLOAD_SHARES } from '../constants';
import { timeHandler, timeSteps } from '../handler-run';
import { recordHttp } from '../http-timing';
import { startIndexerFixture } from '../indexer-fixture';
import { uniqueName, type StreamHandler } from '../local';
import { parseCommand, runMain, sweepOptions, wholeNumber, withCommonOptions, withSweepOptions } from '../options';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { hostAndPort } from '../resources';
import { withSpread } from '../stats';
import { sweepConfigurations } from '../sweep';
import { syntheticBatches, workloadSeries } from '../synthetic';
import { throughputRun } from '../throughput';
import type {
  BenchResult,
  CommonOptions,
  HttpRecorder,
  SweepConfiguration,
  SweepOptions,
  SyntheticWorkload,
  ThroughputRun,
  WorkloadCounts,
} from '../types';

const BENCH = 'indexer-throughput';

/** One measured configuration: item size × batch size. */
export interface ThroughputConfiguration extends SweepConfiguration<ThroughputRun> {
  readonly workload: WorkloadCounts;
}

export type ThroughputResult = BenchResult<{ readonly configurations: readonly ThroughputConfiguration[] }>;

interface ThroughputOptions extends CommonOptions, SweepOptions {
  readonly hotKeys: number;
}

function parseOptions(argv: readonly string[]): ThroughputOptions {
  const program = withSweepOptions(withCommonOptions(new Command(BENCH)), 'records per run and configuration (rounded up to whole batches)')
    .description(
      'Records/s and CPU per record of an indexer handler on synthetic Lambda batches, split into decode / plan+coalesce / OpenSearch',
    )
    .option('--hot-keys <n>', 'keys the updates go to', '50');
  const { raw, common } = parseCommand(program, argv);
  return { ...common, ...sweepOptions(raw, common), hotKeys: wholeNumber('--hot-keys', String(raw['hotKeys'])) };
}

/**
 * Runs the bench: `npx nx run bench:indexer-throughput [-- --handler path#export --runs 3 ...]`.
 * Writes `docs/benchmarks/indexer-throughput.{json,md}` and returns the result.
 */
export async function indexerThroughput(argv: readonly string[]): Promise<ThroughputResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH, [`seed ${options.seed}`, `handler ${options.handler}`]);

  const fixture = await startIndexerFixture({
    sync: SYNTHETIC_SYNC,
    indexes: { index: uniqueName('bench-tp') },
    dlqPrefix: 'bench-tp-dlq',
  });
  const { endpoints, routing } = fixture;
  const handler = fixture.loadIndexer(options.handler);
  const recorder = recordHttp(hostAndPort(endpoints.opensearch));
  const workload = workloadSeries({ seed: options.seed, hotKeys: options.hotKeys, firstSequenceNumber: 1_000_000n });
  const shape = (batchSize: number, itemBytes: number) => `b${batchSize}-i${itemBytes}`;
  try {
    // Warm-up (index creation, JIT): not counted.
    const [warmBatchSize, warmItemBytes] = [options.batchSizes[0] ?? 100, options.itemSizes[0] ?? 1024];
    await measure(
      handler,
      recorder,
      routing,
      workload(`warm-${shape(warmBatchSize, warmItemBytes)}`, warmBatchSize, warmItemBytes, Math.min(options.records, 1000)),
    );
    const configurations: ThroughputConfiguration[] = await sweepConfigurations(options, async ({ itemBytes, batchSize, run }) => {
      const measured = await measure(
        handler,
        recorder,
        routing,
        workload(`r${run}-${shape(batchSize, itemBytes)}`, batchSize, itemBytes, options.records),
      );
      console.log(
        `${BENCH}: ${itemBytes} B × ${batchSize}/batch, run ${run}: ${measured.run.recordsPerSecond} records/s, ${measured.run.cpuUsPerRecord} µs CPU/record`,
      );
      return { run: measured.run, size: { workload: measured.counts } };
    });
    const result: ThroughputResult = {
      ...envelopeOf(BENCH, argv, start),
      settings: {
        handler: options.handler,
        seed: options.seed,
        runs: options.runs,
        recordsPerRun: options.records,
        hotKeys: options.hotKeys,
        ...WORKLOAD_SHARES,
        sync: SYNTHETIC_SYNC,
        route: routing.routes[0],
        openSearch: endpoints.opensearch,
        invocation: 'in-process, one batch at a time (one shard), after one un-timed warm-up run',
        logLevel: process.env['POWERTOOLS_LOG_LEVEL'],
      },
      quick: options.quick,
      notes: [
        'records/s = records ÷ handler wall time (decode + plan + _mget + _bulk + dead-lettering); OpenSearch ms = time with a request to OpenSearch in flight (node:http diagnostics channel).',
        'decode and plan+coalesce are the @ddb-os pieces timed alone on the same batches (CPU µs per record); they are part of "other" in the handler timing.',
        'CPU is process.cpuUsage() of this process (handler, HTTP client, GC); OpenSearch runs on the same 2 cores and is not counted in it.',
        "GB-s per 1M records: each invocation's wall time rounded up to the millisecond (Lambda's billed duration) × the memory size; measured on this machine's cores, where a 512 MB or 1,024 MB Lambda gets a fraction of a vCPU: read them as lower bounds.",
      ],
      configurations,
    };
    publishResult(options.outDir, result, markdown(result));
    return result;
  } finally {
    recorder.stop();
    await fixture.cleanUp();
  }
}

async function measure(
  handler: StreamHandler,
  recorder: HttpRecorder,
  routing: SyncRouting,
  workload: SyntheticWorkload,
): Promise<{ run: ThroughputRun; counts: WorkloadCounts }> {
  const { events, counts } = syntheticBatches(workload);
  const timings = await timeHandler(handler, events, recorder);
  return { run: throughputRun(timings, timeSteps(events, routing)), counts };
}

function markdown(result: ThroughputResult): string {
  const rows = result.configurations.map(({ itemBytes, batchSize, median, runs }) => [
    `${itemBytes / 1024} KB`,
    batchSize,
    withSpread(runs.map((run) => run.recordsPerSecond)),
    median.cpuUsPerRecord,
    median.gbSecondsPerMillionAt512,
    median.gbSecondsPerMillionAt1024,
    median.decodeUsPerRecord,
    median.planUsPerRecord,
    median.openSearchMsPerBatch,
    median.otherMsPerBatch,
    `${Math.round(median.openSearchShare * 100)} %`,
    median.redeliveries,
  ]);
  const table = markdownTable(
    [
      'item',
      'batch',
      'records/s (min–max)',
      'CPU µs/record',
      'GB-s / 1M records, 512 MB',
      'GB-s / 1M records, 1,024 MB',
      'decode µs/record',
      'plan+coalesce µs/record',
      'OpenSearch ms/batch',
      'other ms/batch',
      'OpenSearch share',
      'redeliveries',
    ],
    rows,
  );
  return resultMarkdown(result, 'Indexer throughput', [
    `Medians of ${result.settings['runs']} runs, handler \`${result.settings['handler']}\`.`,
    table,
  ]);
}

if (require.main === module) runMain(async () => void (await indexerThroughput(process.argv.slice(2))));
