import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { envelopeOf, startBench } from '../bench-start';
import { WORKLOAD_SHARES, WORKSPACE_SYNC } from '../constants';
import { contenderRun } from '../contender-figures';
import { startContender, type ContenderProcess } from '../contender-process';
import { BenchError } from '../errors';
import { indexerVariables } from '../lambda';
import { stackEndpoints } from '../local';
import { startNullEndpoint } from '../null-endpoint';
import { parseCommand, runMain, wholeNumber, withCommonOptions } from '../options';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { median, round, withSpread } from '../stats';
import { workloadSeries } from '../synthetic';
import type { BenchResult, CommonOptions, ContenderRun, SyntheticWorkload } from '../types';

const BENCH = 'client-cpu';
const BUILDS = ['before', 'after'] as const;
type Build = (typeof BUILDS)[number];

/** One pair: both builds on identical batches, one after the other. */
export interface BuildPair {
  readonly pair: number;
  readonly first: Build;
  readonly before: ContenderRun;
  readonly after: ContenderRun;
  /** after ÷ before CPU per record (below 1: the change saves CPU). */
  readonly cpuRatio: number;
}

export type ClientCpuResult = BenchResult<{ readonly pairs: readonly BuildPair[]; readonly medianCpuRatio: number }>;

interface ClientCpuOptions extends CommonOptions {
  readonly before: string;
  readonly after: string;
  readonly batchSize: number;
  readonly itemBytes: number;
  readonly records: number;
}

// Parsed here rather than in options.ts: two bundle paths are this bench's own.
function parseOptions(argv: readonly string[]): ClientCpuOptions {
  const program = withCommonOptions(new Command(BENCH))
    .description(
      'client CPU per record of two indexer bundles (before / after a change) on identical batches against the null endpoint, alternating, each in its own process',
    )
    .requiredOption('--before <path>', 'the indexer bundle built from the base commit')
    .option('--after <path>', 'the indexer bundle with the change', 'dist/apps/indexer/index.js')
    .option('--batch-size <n>', 'records per batch', '1000')
    .option('--item-bytes <n>', 'approximate item size in bytes', '1024')
    .option('--records <n>', 'records per run and build', '6000');
  const { raw, common } = parseCommand(program, argv);
  return {
    ...common,
    before: existingFile('--before', String(raw['before'])),
    after: existingFile('--after', String(raw['after'])),
    batchSize: wholeNumber('--batch-size', String(raw['batchSize'])),
    itemBytes: wholeNumber('--item-bytes', String(raw['itemBytes'])),
    records: common.quick ? 1000 : wholeNumber('--records', String(raw['records'])),
  };
}

function existingFile(option: string, file: string): string {
  const resolved = path.resolve(file);
  if (!existsSync(resolved))
    throw new BenchError(`${option} ${file}: no such file (build the bundle first, e.g. npx nx run indexer:bundle)`);
  return resolved;
}

/**
 * Runs the bench: `npx nx run bench:client-cpu -- --before /tmp/base/index.js [--after dist/apps/indexer/index.js]`.
 * Writes `docs/benchmarks/client-cpu.{json,md}`.
 */
export async function clientCpuBench(argv: readonly string[]): Promise<ClientCpuResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH, [`seed ${options.seed}`]);
  const nullEndpoint = await startNullEndpoint();
  // The null endpoint acknowledges every _bulk item, so no record ever reaches the DLQ: the URL is never called.
  // The bundles compared are the workspace's indexer (before / after a change): its definition's sync, `demo`, whose
  // review route takes the synthetic items; the index names do not matter to the null endpoint.
  const variables = indexerVariables({
    openSearchNode: nullEndpoint.url,
    syncName: WORKSPACE_SYNC,
    dlqUrl: 'http://127.0.0.1:9/never-used',
    sqsEndpoint: stackEndpoints().sqs,
  });
  const builds: Partial<Record<Build, ContenderProcess>> = {};
  try {
    for (const build of BUILDS) {
      builds[build] = await startContender(build, {
        ...process.env,
        ...variables,
        CONTENDER: 'ours',
        CONTENDER_MODULE: options[build],
        CONTENDER_NODE: nullEndpoint.url,
      });
    }
    const pairs = await runPairs(options, builds as Record<Build, ContenderProcess>);
    const result: ClientCpuResult = {
      ...envelopeOf(BENCH, argv, start),
      settings: {
        before: options.before,
        after: options.after,
        seed: options.seed,
        pairs: options.runs,
        recordsPerRun: options.records,
        batchSize: options.batchSize,
        itemBytes: options.itemBytes,
        ...WORKLOAD_SHARES,
        hotKeys: 50,
      },
      quick: options.quick,
      notes: [
        'Each build runs in its own Node process (contender-child.ts), warmed up on an un-timed workload; the handler is called one batch at a time, as Lambda calls it on one shard.',
        'A pair gives both builds identical batches (same seed, keys, sequence numbers), one after the other, the first alternating; cpu ratio = after ÷ before CPU µs per record of that pair, and its median over the pairs. Compare ratios, not absolute figures: the machine is shared.',
        "CPU = process.cpuUsage() of the build's process around each handler call (HTTP client and GC included); the null endpoint (a loopback server in the bench process) answers _mget all-not-found and _bulk all-done.",
      ],
      pairs,
      medianCpuRatio: median(pairs.map((pair) => pair.cpuRatio)),
    };
    publishResult(options.outDir, result, markdown(result));
    return result;
  } finally {
    for (const build of BUILDS) builds[build]?.stop();
    await nullEndpoint.stop();
  }
}

async function runPairs(options: ClientCpuOptions, builds: Record<Build, ContenderProcess>): Promise<BuildPair[]> {
  const series = workloadSeries({ seed: options.seed, hotKeys: 50, firstSequenceNumber: 90_000_000n });
  const workload = (prefix: string, batchSize: number, records: number): SyntheticWorkload =>
    series(prefix, batchSize, options.itemBytes, records);
  const warm = workload('warm', options.batchSize, options.batchSize * 3);
  for (const build of BUILDS) await builds[build].run(warm);
  const pairs: BuildPair[] = [];
  for (let pair = 1; pair <= options.runs; pair += 1) {
    const batches = workload(`p${pair}`, options.batchSize, options.records);
    const order: Build[] = pair % 2 === 1 ? ['before', 'after'] : ['after', 'before'];
    const runs: Partial<Record<Build, ContenderRun>> = {};
    for (const build of order) runs[build] = contenderRun(await builds[build].run(batches));
    const before = runs.before as ContenderRun;
    const after = runs.after as ContenderRun;
    pairs.push({ pair, first: order[0] as Build, before, after, cpuRatio: round(after.cpuMsPer1k / before.cpuMsPer1k) });
    console.log(
      `${BENCH}: pair ${pair}: before ${before.cpuMsPer1k} µs/record (${before.recordsPerSecond} records/s), after ${after.cpuMsPer1k} (${after.recordsPerSecond}), ratio ${round(after.cpuMsPer1k / before.cpuMsPer1k)}`,
    );
  }
  return pairs;
}

function markdown(result: ClientCpuResult): string {
  const rows: Array<Array<string | number>> = result.pairs.map((pair) => [
    pair.pair,
    pair.first,
    pair.before.cpuMsPer1k,
    pair.after.cpuMsPer1k,
    pair.cpuRatio,
    pair.before.recordsPerSecond,
    pair.after.recordsPerSecond,
  ]);
  rows.push([
    '**median**',
    '',
    withSpread(result.pairs.map((pair) => pair.before.cpuMsPer1k)),
    withSpread(result.pairs.map((pair) => pair.after.cpuMsPer1k)),
    `**${result.medianCpuRatio}**`,
    withSpread(result.pairs.map((pair) => pair.before.recordsPerSecond)),
    withSpread(result.pairs.map((pair) => pair.after.recordsPerSecond)),
  ]);
  return resultMarkdown(result, 'Client CPU per record, before vs after', [
    `${result.settings['pairs']} pairs, ${result.settings['recordsPerRun']} records per run, ${Number(result.settings['itemBytes']) / 1024} KB × ${result.settings['batchSize']}, null endpoint.`,
    markdownTable(
      ['pair', 'first', 'before CPU µs / record', 'after CPU µs / record', 'after ÷ before', 'before records/s', 'after records/s'],
      rows,
    ),
  ]);
}

if (require.main === module) runMain(async () => void (await clientCpuBench(process.argv.slice(2))));
