import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureIndex } from '@ddb-os/index-writer';
import { writeAlias } from '@ddb-os/opensearch-mapping';
import { Command } from 'commander';
import { BENCH_BUNDLE, buildBenchIndexer } from '../bench-bundle';
import { benchRouting } from '../bench-definition';
import { envelopeOf, startBench } from '../bench-start';
import { SYNTHETIC_SYNC, WORKLOAD_SHARES } from '../constants';
import { contenderPair, contenderRun, LAMBDA_MEMORY_MB } from '../contender-figures';
import { startContender, type ContenderProcess } from '../contender-process';
import { BenchError, ChildProcessFailedError } from '../errors';
import { indexerVariables } from '../lambda';
import { openSearchClient, sqsClient, stackEndpoints, uniqueName } from '../local';
import { startNullEndpoint } from '../null-endpoint';
import { numberList, parseCommand, runMain, wholeNumber, withCommonOptions } from '../options';
import { ensurePeerInstalled, PEER } from '../peer-package';
import { markdownTable, publishResult, resultMarkdown } from '../report';
import { createQueue, deleteIndexes, deleteQueue } from '../resources';
import { median, medianOfRuns, round, withSpread } from '../stats';
import { syntheticBatches, workloadSeries } from '../synthetic';
import type { BenchResult, CommonOptions, ContenderPair, ContenderRun, InitRun, SyntheticWorkload } from '../types';

const BENCH = 'peer';
const DEFAULT_BUNDLE = BENCH_BUNDLE;
const ENDPOINT_KINDS = ['opensearch', 'null'] as const;
type EndpointKind = (typeof ENDPOINT_KINDS)[number];
type Contender = 'ours' | 'peer';

/** Both contenders on one endpoint and batch size: the pairs and their medians. */
export interface PeerConfiguration {
  readonly endpoint: EndpointKind;
  readonly itemBytes: number;
  readonly batchSize: number;
  readonly pairs: readonly ContenderPair[];
  readonly median: {
    readonly ratio: number;
    readonly ours: Record<keyof ContenderRun, number>;
    readonly peer: Record<keyof ContenderRun, number>;
  };
}

/** A contender's cold start: module size and the median of fresh processes. */
export interface InitFigures {
  readonly contender: Contender;
  readonly module: string;
  /** Bytes of the module file (ours: the whole bundle; the peer: its entry file, its dependencies load from node_modules). */
  readonly moduleBytes: number;
  readonly sourceMapShipped: boolean;
  readonly runs: readonly InitRun[];
  readonly median: Record<keyof InitRun, number>;
}

export type PeerResult = BenchResult<{ readonly configurations: readonly PeerConfiguration[]; readonly init: readonly InitFigures[] }>;

interface PeerOptions extends CommonOptions {
  readonly bundle: string;
  readonly build: boolean;
  readonly batchSizes: readonly number[];
  readonly itemBytes: number;
  readonly records: number;
  readonly initRuns: number;
  readonly endpoints: readonly EndpointKind[];
}

function parseOptions(argv: readonly string[]): PeerOptions {
  const program = withCommonOptions(new Command(BENCH))
    .description(
      `our minified indexer bundle vs the npm package ${PEER.name}@${PEER.version} on identical batches, alternating, against OpenSearch and a null endpoint`,
    )
    .option(
      '--bundle <path>',
      "our indexer bundle: by default the bench's (the indexer over the bench's definition, bundled like nx run indexer:bundle, built first unless --no-build)",
      DEFAULT_BUNDLE,
    )
    .option('--no-build', 'use the bundle as it is')
    .option('--batch-sizes <list>', 'records per batch', '100,1000')
    .option('--item-bytes <n>', 'approximate item size in bytes', '1024')
    .option('--records <n>', 'records per run, contender and configuration', '4000')
    .option('--init-runs <n>', 'fresh processes per contender for the init time', '5')
    .option(
      '--endpoints <list>',
      'opensearch (the local OpenSearch), null (a loopback server that acknowledges everything)',
      'opensearch,null',
    );
  const { raw, common } = parseCommand(program, argv);
  return {
    ...common,
    bundle: String(raw['bundle']),
    build: raw['build'] !== false,
    batchSizes: common.quick ? [100] : numberList('--batch-sizes', String(raw['batchSizes'])),
    itemBytes: wholeNumber('--item-bytes', String(raw['itemBytes'])),
    records: common.quick ? 300 : wholeNumber('--records', String(raw['records'])),
    initRuns: common.quick ? 1 : wholeNumber('--init-runs', String(raw['initRuns'])),
    endpoints: endpointList(String(raw['endpoints'])),
  };
}

function endpointList(text: string): EndpointKind[] {
  const kinds = text.split(',').map((part) => part.trim());
  for (const kind of kinds) {
    if (!(ENDPOINT_KINDS as readonly string[]).includes(kind))
      throw new BenchError(`--endpoints ${JSON.stringify(text)}: ${JSON.stringify(kind)} is not one of ${ENDPOINT_KINDS.join(', ')}`);
  }
  return kinds as EndpointKind[];
}

/** Runs the bench: `npx nx run bench:peer`. Writes `docs/benchmarks/peer.{json,md}`. */
export async function peerBench(argv: readonly string[]): Promise<PeerResult> {
  const options = parseOptions(argv);
  const start = await startBench(BENCH, [`seed ${options.seed}`, `peer ${PEER.name}@${PEER.version}`]);
  const bundle = await ensureBundle(options);
  const peerModule = ensurePeerInstalled(process.cwd(), (line) => console.log(`${BENCH}: ${line}`));
  const endpoints = stackEndpoints();
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const nullEndpoint = await startNullEndpoint();
  const oursIndex = uniqueName('bench-peer-ours');
  const peerIndex = uniqueName('bench-peer-peer');
  // The peer's index is the same bench sync on another index: the same mappings as ours.
  const peerRouting = benchRouting(SYNTHETIC_SYNC, { index: peerIndex });
  const dlqUrl = await createQueue(sqs, uniqueName('bench-peer-dlq'));
  // The peer gets an index like ours (same mappings and settings, behind a write alias) so OpenSearch does the same work for both.
  await ensureIndex(openSearch, {
    index: peerIndex,
    mappings: peerRouting.shapes.mappingsOf(peerIndex),
  });
  const envFor = (contender: Contender, node: string): NodeJS.ProcessEnv => ({
    ...process.env,
    CONTENDER: contender,
    CONTENDER_MODULE: contender === 'ours' ? bundle : peerModule,
    CONTENDER_NODE: node,
    CONTENDER_INDEX: writeAlias(peerIndex),
    // The peer signs every request with aws-sdk v2 credentials: static ones keep it off any credential service.
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    ...indexerVariables({
      openSearchNode: node,
      syncName: SYNTHETIC_SYNC,
      indexes: { index: oursIndex },
      dlqUrl,
      sqsEndpoint: endpoints.sqs,
    }),
  });
  try {
    const configurations: PeerConfiguration[] = [];
    for (const endpoint of options.endpoints) {
      const node = endpoint === 'opensearch' ? endpoints.opensearch : nullEndpoint.url;
      configurations.push(...(await comparePairs(options, endpoint, (contender) => envFor(contender, node))));
    }
    const init = [
      await initFigures(options, 'ours', bundle, envFor('ours', nullEndpoint.url)),
      await initFigures(options, 'peer', peerModule, envFor('peer', nullEndpoint.url)),
    ];
    const result: PeerResult = {
      ...envelopeOf(BENCH, argv, start),
      settings: {
        peer: `${PEER.name}@${PEER.version} (aws-sdk@${PEER.awsSdkVersion}), pushStream({ useBulk: true, refresh: false }), other options at their defaults`,
        ours: `${options.bundle} (the indexer's handler over the bench's definition, sync ${SYNTHETIC_SYNC}, bundled with the options of nx run indexer:bundle: minified esbuild bundle), handler as Lambda calls it`,
        seed: options.seed,
        pairs: options.runs,
        recordsPerRun: options.records,
        itemBytes: options.itemBytes,
        ...WORKLOAD_SHARES,
        hotKeys: 50,
        openSearch: endpoints.opensearch,
        lambdaMemoryMb: LAMBDA_MEMORY_MB,
      },
      quick: options.quick,
      notes: [
        'Each contender runs in its own Node process (its heap, GC and JIT to itself), warmed up once per endpoint on an un-timed workload; the handler is called one batch at a time as Lambda calls it on one shard.',
        'A pair runs both contenders on identical batches (same seed, keys and sequence numbers; each into its own index with the same mappings), one after the other; the first alternates from pair to pair. ratio = ours records/s ÷ peer records/s of that pair; the median ratio is the median of the pairs.',
        'CPU = process.cpuUsage() (user + system) of the contender process around its handler calls, so it includes its HTTP client and GC and nothing of OpenSearch, which runs on the same 2 cores.',
        "null endpoint: a loopback HTTP server in the bench process (not the contenders') answering _mget all-not-found and _bulk all-done: the client cost alone.",
        'GB-s per million records = billed duration per record (each invocation rounded up to 1 ms) × memory, from the durations measured here; Lambda gives a 512 MB function about 0.29 vCPU and a 1,024 MB one about 0.58 vCPU (1 vCPU at 1,769 MB), so there the CPU part of the duration would be longer: these are lower bounds.',
        'init: a fresh `node` process per run (no TypeScript loader) requires the module, then invokes it once on a one-record batch against the null endpoint (configuration, client construction, one round trip).',
        'the peer loses data where ours does not (ids by concatenation, deletes after upserts, no ordering): see docs/benchmarks.md; this bench measures speed only.',
      ],
      configurations,
      init,
    };
    publishResult(options.outDir, result, markdown(result));
    return result;
  } finally {
    await nullEndpoint.stop();
    await deleteIndexes(openSearch, oursIndex);
    await deleteIndexes(openSearch, peerIndex);
    await deleteQueue(sqs, dlqUrl);
  }
}

/**
 * Our contender: the bench's indexer bundle (built now unless --no-build), which writes to the bench's unique index.
 * A bundle given with --bundle must serve the sync SYNTHETIC_SYNC of the bench's definition (`BENCH_INDEX`).
 */
async function ensureBundle(options: PeerOptions): Promise<string> {
  const bundle = path.resolve(options.bundle);
  if (options.build && bundle === path.resolve(BENCH_BUNDLE)) await buildBenchIndexer(process.cwd());
  if (!existsSync(bundle))
    throw new BenchError(`the indexer bundle ${bundle} does not exist: run the bench without --no-build, or pass --bundle`);
  return bundle;
}

async function comparePairs(
  options: PeerOptions,
  endpoint: EndpointKind,
  envFor: (contender: Contender) => NodeJS.ProcessEnv,
): Promise<PeerConfiguration[]> {
  const contenders: Record<Contender, ContenderProcess> = {
    ours: await startContender('ours', envFor('ours')),
    peer: await startContender('peer', envFor('peer')),
  };
  const series = workloadSeries({
    seed: options.seed,
    hotKeys: 50,
    firstSequenceNumber: endpoint === 'opensearch' ? 10_000_000n : 50_000_000n,
  });
  const workload = (prefix: string, batchSize: number, records: number): SyntheticWorkload =>
    series(`${endpoint}-${prefix}`, batchSize, options.itemBytes, records);
  try {
    // Warm-up (index creation, JIT, connections): not counted.
    const warm = workload('warm', 100, 1000);
    await contenders.ours.run(warm);
    await contenders.peer.run(warm);
    const configurations: PeerConfiguration[] = [];
    for (const batchSize of options.batchSizes) {
      const pairs: ContenderPair[] = [];
      for (let pair = 1; pair <= options.runs; pair += 1) {
        const batches = workload(`p${pair}-b${batchSize}`, batchSize, options.records);
        const order: Contender[] = pair % 2 === 1 ? ['ours', 'peer'] : ['peer', 'ours'];
        const timings: Partial<Record<Contender, Awaited<ReturnType<ContenderProcess['run']>>>> = {};
        for (const contender of order) timings[contender] = await contenders[contender].run(batches);
        const figures = contenderPair(pair, order[0] as Contender, contenderRun(timings.ours ?? []), contenderRun(timings.peer ?? []));
        pairs.push(figures);
        console.log(
          `${BENCH}: ${endpoint}, ${batchSize}/batch, pair ${pair}: ours ${figures.ours.recordsPerSecond} records/s (${figures.ours.cpuMsPer1k} CPU ms/1k), peer ${figures.peer.recordsPerSecond} (${figures.peer.cpuMsPer1k}), ratio ${figures.ratio}`,
        );
      }
      configurations.push({
        endpoint,
        itemBytes: options.itemBytes,
        batchSize,
        pairs,
        median: {
          ratio: median(pairs.map((pair) => pair.ratio)),
          ours: medianOfRuns(pairs.map((pair) => ({ ...pair.ours }))),
          peer: medianOfRuns(pairs.map((pair) => ({ ...pair.peer }))),
        },
      });
    }
    return configurations;
  } finally {
    contenders.ours.stop();
    contenders.peer.stop();
  }
}

async function initFigures(options: PeerOptions, contender: Contender, module: string, env: NodeJS.ProcessEnv): Promise<InitFigures> {
  const [event] = syntheticBatches({
    seed: options.seed,
    batches: 1,
    batchSize: 1,
    itemBytes: options.itemBytes,
    ...WORKLOAD_SHARES,
    hotKeys: 1,
    keyPrefix: `init-${contender}`,
    firstSequenceNumber: 1n,
    createdAtSeconds: Math.floor(Date.now() / 1000),
  }).events;
  const runs: InitRun[] = [];
  for (let run = 0; run < options.initRuns; run += 1) runs.push(await initRun(contender, { ...env, INIT_EVENT: JSON.stringify(event) }));
  const figures = {
    contender,
    module: path.relative(process.cwd(), module),
    moduleBytes: statSync(module).size,
    sourceMapShipped: existsSync(`${module}.map`),
    runs,
    median: medianOfRuns(runs.map((run) => ({ ...run }))),
  };
  console.log(
    `${BENCH}: init ${contender}: require ${figures.median.requireMs} ms, first invocation ${figures.median.firstInvocationMs} ms`,
  );
  return figures;
}

function initRun(contender: Contender, env: NodeJS.ProcessEnv): Promise<InitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'init-probe.cjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        return reject(new ChildProcessFailedError(`init probe of ${contender}`, code, stderr.slice(-2000)));
      const parsed = JSON.parse(line) as InitRun & { failures: number };
      if (parsed.failures > 0) return reject(new BenchError(`init probe of ${contender}: the one-record batch was not indexed`));
      resolve({
        requireMs: round(parsed.requireMs),
        firstInvocationMs: round(parsed.firstInvocationMs),
        sinceProcessStartMs: round(parsed.sinceProcessStartMs),
      });
    });
  });
}

function markdown(result: PeerResult): string {
  const pairTables = result.configurations.map((configuration) => {
    const rows: Array<Array<string | number>> = configuration.pairs.map((pair) => [
      pair.pair,
      pair.first,
      pair.ours.recordsPerSecond,
      pair.peer.recordsPerSecond,
      pair.ratio,
      pair.ours.cpuMsPer1k,
      pair.peer.cpuMsPer1k,
    ]);
    const { median: m } = configuration;
    rows.push(['**median**', '', m.ours.recordsPerSecond, m.peer.recordsPerSecond, `**${m.ratio}**`, m.ours.cpuMsPer1k, m.peer.cpuMsPer1k]);
    return [
      `**${configuration.endpoint === 'opensearch' ? 'OpenSearch' : 'null endpoint'}, ${configuration.itemBytes / 1024} KB × ${configuration.batchSize}**`,
      '',
      markdownTable(
        ['pair', 'first', 'ours records/s', 'peer records/s', 'ours ÷ peer', 'ours CPU ms / 1k records', 'peer CPU ms / 1k'],
        rows,
      ),
    ].join('\n');
  });
  const costRows = result.configurations
    .filter((configuration) => configuration.endpoint === 'opensearch')
    .map(({ batchSize, median: m }) => [
      batchSize,
      m.ours.billedMsPerRecord,
      m.ours.gbSecondsPerMillionAt512,
      m.ours.gbSecondsPerMillionAt1024,
      m.peer.billedMsPerRecord,
      m.peer.gbSecondsPerMillionAt512,
      m.peer.gbSecondsPerMillionAt1024,
    ]);
  const initRows = result.init.map((init) => [
    init.contender,
    `\`${init.module}\``,
    `${round(init.moduleBytes / 1024)} KiB`,
    init.sourceMapShipped ? 'yes' : 'no',
    withSpread(init.runs.map((run) => run.requireMs)),
    withSpread(init.runs.map((run) => run.firstInvocationMs)),
    round(init.median.requireMs + init.median.firstInvocationMs),
    withSpread(init.runs.map((run) => run.sinceProcessStartMs)),
  ]);
  return resultMarkdown(result, `Ours vs ${PEER.name}@${PEER.version}`, [
    `${result.settings['pairs']} pairs per configuration, ${result.settings['recordsPerRun']} records per run; medians of the pairs.`,
    ...pairTables,
    '**What a Lambda user pays** (against OpenSearch; medians; billed ms per record from the measured durations)',
    markdownTable(
      [
        'batch',
        'ours billed ms/record',
        'ours GB-s per 1M records at 512 MB',
        'at 1,024 MB',
        'peer billed ms/record',
        'peer GB-s per 1M at 512 MB',
        'at 1,024 MB',
      ],
      costRows,
    ),
    `**Init** (fresh \`node\` process each run, median (min–max) of ${result.init[0]?.runs.length ?? 0})`,
    markdownTable(
      [
        'contender',
        'module',
        'size',
        'source map shipped',
        'require ms',
        'first invocation ms',
        'init ms (require + first invocation)',
        'since process start ms',
      ],
      initRows,
    ),
  ]);
}

if (require.main === module) runMain(async () => void (await peerBench(process.argv.slice(2))));
