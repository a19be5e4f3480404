import { ensureIndex } from '@ddb-os/index-writer';
import { benchRouting } from '../bench-definition';
import type { Client } from '@opensearch-project/opensearch';
import { Command } from 'commander';
import { ceilingRun, prebuildBulks } from '../ceiling';
import { SYNTHETIC_SYNC, WORKLOAD_SHARES } from '../constants';
import { envelopeOf, startBench } from '../bench-start';
import { BenchError } from '../errors';
import { timeHandler } from '../handler-run';
import { recordHttp } from '../http-timing';
import { startIndexerFixture } from '../indexer-fixture';
import { uniqueName } from '../local';
import { parseCommand, runMain, sweepOptions, wholeNumber, withCommonOptions, withSweepOptions } from '../options';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { hostAndPort } from '../resources';
import { withSpread } from '../stats';
import { sweepConfigurations } from '../sweep';
import { syntheticBatches, workloadSeries } from '../synthetic';
import type { BenchResult, CeilingRun, CommonOptions, PrebuiltBulk, SweepConfiguration, SweepOptions } from '../types';

const BENCH = 'bulk-ceiling';

export interface CeilingConfiguration extends SweepConfiguration<CeilingRun> {
  readonly records: number;
  readonly documents: number;
}

export type CeilingResult = BenchResult<{ readonly configurations: readonly CeilingConfiguration[] }>;

interface CeilingOptions extends CommonOptions, SweepOptions {
  readonly parallelism: number;
}

function parseOptions(argv: readonly string[]): CeilingOptions {
  const program = withSweepOptions(withCommonOptions(new Command(BENCH)), 'records per run and configuration')
    .description("OpenSearch's own _bulk rate with pre-built bodies vs the indexer end to end on the same batches")
    .option('--parallelism <n>', 'concurrent requests of the parallel ceiling', '2');
  const { raw, common } = parseCommand(program, argv);
  return { ...common, ...sweepOptions(raw, common), parallelism: wholeNumber('--parallelism', String(raw['parallelism'])) };
}

/** Runs the bench: `npx nx run bench:bulk-ceiling`. Writes `docs/benchmarks/bulk-ceiling.{json,md}`. */
export async function bulkCeiling(argv: readonly string[]): Promise<CeilingResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH, [`seed ${options.seed}`]);
  const ceilingIndex = uniqueName('bench-ce-raw');
  // The ceiling's index is the same sync on another index: the same documents and mappings as the indexer's.
  const ceilingRouting = benchRouting(SYNTHETIC_SYNC, { index: ceilingIndex });
  const fixture = await startIndexerFixture({
    sync: SYNTHETIC_SYNC,
    indexes: { index: uniqueName('bench-ce-idx') },
    dlqPrefix: 'bench-ce-dlq',
    otherIndexes: [ceilingIndex],
  });
  const { endpoints, openSearch, routing } = fixture;
  const handler = fixture.loadIndexer(options.handler);
  const recorder = recordHttp(hostAndPort(endpoints.opensearch));
  await ensureIndex(openSearch, { index: ceilingIndex, mappings: ceilingRouting.shapes.mappingsOf(ceilingIndex) });
  const workload = workloadSeries({ seed: options.seed, hotKeys: 50, firstSequenceNumber: 5_000_000n });
  try {
    // Warm-up of both paths (index creation, JIT): not counted.
    await timeHandler(handler, syntheticBatches(workload('warm-i', 100, 1024, 500)).events, recorder);
    await sendSequential(
      openSearch,
      prebuildBulks(syntheticBatches(workload('warm-c', 100, 1024, 500)).events, ceilingRouting, ceilingIndex),
    );
    const configurations: CeilingConfiguration[] = await sweepConfigurations(options, async ({ itemBytes, batchSize, run }) => {
      const tag = `r${run}-b${batchSize}-i${itemBytes}`;
      const sequential = prebuildBulks(
        syntheticBatches(workload(`cs-${tag}`, batchSize, itemBytes, options.records)).events,
        ceilingRouting,
        ceilingIndex,
      );
      const parallel = prebuildBulks(
        syntheticBatches(workload(`cp-${tag}`, batchSize, itemBytes, options.records)).events,
        ceilingRouting,
        ceilingIndex,
      );
      const indexerEvents = syntheticBatches(workload(`ix-${tag}`, batchSize, itemBytes, options.records)).events;
      const size = { records: sum(sequential, 'records'), documents: sum(sequential, 'documents') };
      const sequentialMs = await sendSequential(openSearch, sequential);
      const parallelMs = await sendParallel(openSearch, parallel, options.parallelism);
      const indexerMs = (await timeHandler(handler, indexerEvents, recorder)).reduce((total, batch) => total + batch.wallMs, 0);
      const figures = ceilingRun(size, { sequentialMs, parallelMs, indexerMs });
      console.log(
        `${BENCH}: ${itemBytes} B × ${batchSize}/batch, run ${run}: ceiling ${figures.ceilingRecordsPerSecond} records/s, indexer ${figures.indexerRecordsPerSecond} records/s, ratio ${figures.ratio}`,
      );
      return { run: figures, size };
    });
    const result: CeilingResult = {
      ...envelopeOf(BENCH, argv, start),
      settings: {
        handler: options.handler,
        seed: options.seed,
        runs: options.runs,
        recordsPerRun: options.records,
        parallelism: options.parallelism,
        ...WORKLOAD_SHARES,
        hotKeys: 50,
        sync: SYNTHETIC_SYNC,
        route: routing.routes[0],
      },
      quick: options.quick,
      notes: [
        'ceiling: the documents each batch leaves after coalescing, pre-serialised as plain `index` actions into an index with the same mappings and settings, one `_bulk` per batch, sent one at a time (like the indexer on one shard); no `_mget`, no compare-and-set.',
        `parallel ceiling: the same with ${options.parallelism} requests in flight.`,
        'indexer: the handler in-process on batches of the same shape (its own keys), wall time per invocation summed.',
        'ratio = indexer records/s ÷ sequential ceiling records/s (1.0 = the indexer adds nothing to what OpenSearch itself needs).',
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

function sum(bulks: readonly PrebuiltBulk[], field: 'records' | 'documents'): number {
  return bulks.reduce((total, bulk) => total + bulk[field], 0);
}

async function sendOne(client: Client, bulk: PrebuiltBulk): Promise<void> {
  const response = await client.transport.request(
    { method: 'POST', path: '/_bulk', body: bulk.ndjson },
    { headers: { 'content-type': 'application/x-ndjson' } },
  );
  const body = response.body as { errors?: boolean; items?: Array<Record<string, { status?: number; error?: unknown }>> };
  if (body.errors !== false) {
    const failed = body.items?.map((item) => Object.values(item)[0]).find((result) => (result?.status ?? 500) >= 300);
    throw new BenchError(`the ceiling _bulk request had failed items: ${JSON.stringify(failed)}`);
  }
}

async function sendSequential(client: Client, bulks: readonly PrebuiltBulk[]): Promise<number> {
  const start = performance.now();
  for (const bulk of bulks) await sendOne(client, bulk);
  return performance.now() - start;
}

async function sendParallel(client: Client, bulks: readonly PrebuiltBulk[], parallelism: number): Promise<number> {
  const start = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bulks.length) {
      const bulk = bulks[next++] as PrebuiltBulk;
      await sendOne(client, bulk);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  return performance.now() - start;
}

function markdown(result: CeilingResult): string {
  const rows = result.configurations.map(({ itemBytes, batchSize, runs }) => [
    `${itemBytes / 1024} KB`,
    batchSize,
    withSpread(runs.map((run) => run.ceilingRecordsPerSecond)),
    withSpread(runs.map((run) => run.parallelCeilingRecordsPerSecond)),
    withSpread(runs.map((run) => run.indexerRecordsPerSecond)),
    withSpread(runs.map((run) => run.ratio)),
  ]);
  return resultMarkdown(result, 'OpenSearch bulk ceiling vs the indexer', [
    `Medians of ${result.settings['runs']} runs (min–max in brackets). The ratio is computed per run (both measured back to back), then its median taken.`,
    markdownTable(
      [
        'item',
        'batch',
        'ceiling records/s (1 request at a time)',
        `ceiling records/s (${result.settings['parallelism']} at a time)`,
        'indexer records/s',
        'indexer ÷ ceiling',
      ],
      rows,
    ),
  ]);
}

if (require.main === module) runMain(async () => void (await bulkCeiling(process.argv.slice(2))));
