import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DEFAULT_ARCHIVE_PREFIX, S3ArchiveStore } from '@ddb-os/failure-archive';
import { documentId } from '@ddb-os/opensearch-mapping';
import { BENCH_DEFINITION_MODULE, CLI_ENTRY } from '../backfill-cli';
import { benchIndexVariables } from '../bench-definition';
import { jsonLines, runTypeScript } from '../child-run';
import { DEFAULT_HANDLER } from '../constants';
import { BenchTimeoutError } from '../errors';
import { indexerVariables } from '../lambda';
import {
  defaultSqsDestination,
  dynamoClient,
  ensureStack,
  loadHandler,
  openSearchClient,
  s3Client,
  sqsClient,
  stackEndpoints,
  stackVersions,
  startFaultProxy,
  type FaultProxy,
} from '../local';
import { machineInfo, machineLine } from '../machine';
import { createPrng } from '../prng';
import { sleep } from '../timing';
import { QueueDrain, type SqsHandler } from './failure-drain';
import { injectFault, noFaults, type FaultCounts, type FaultTargets } from './faults';
import type { ChaosOptions, ChaosReport, ChaosWorkloadCounts, ReplaySummary } from './report';
import { countArchivedPoison, readArchive } from './poison-archive';
import {
  CHAOS_KEY_ATTRIBUTES,
  CHAOS_SYNC,
  createChaosResources,
  removeChaosResources,
  type ChaosClients,
  type ChaosResources,
} from './resources';
import { RunnerControl, type RunnerSettings } from './runner-control';
import { faultSchedule, type FaultEvent } from './schedule';
import { verifyIndex } from './verify';
import { operationGenerator, poisonItem, poisonKeys, validItem, workloadKeys, type ChaosKey, type ChaosOperation } from './workload';

const FAILURE_HANDLER = 'apps/failure-handler/src/main.ts#handler';
const WRITERS = 8;
const REPLAY_PASSES = 3;
/** Where the failure handler archives and replay reads (set for both, so that the count reads what they use). */
const ARCHIVE_PREFIX = DEFAULT_ARCHIVE_PREFIX;

/** Lambda-like settings, with short retries so that a few seconds of outage exhaust them (and exercise the on-failure path). */
export const CHAOS_RUNNER_SETTINGS: RunnerSettings = {
  batchSize: 100,
  maxRetryAttempts: 2,
  bisectBatchOnError: true,
  retryBaseDelayMs: 200,
  retryMaxDelayMs: 2_000,
  timeoutMs: 20_000,
  pollIntervalMs: 250,
  idlePollMaxMs: 500,
};

/** The indexer's retry settings in the chaos run (each invocation gives up after about a second of failures). */
export const CHAOS_INDEXER_SETTINGS = {
  RETRY_MAX_ATTEMPTS: '3',
  RETRY_BASE_DELAY_MS: '50',
  RETRY_MAX_DELAY_MS: '500',
  OPENSEARCH_REQUEST_TIMEOUT_MS: '2000',
  DEADLINE_MARGIN_MS: '2000',
} as const;

/**
 * The chaos run: a random workload through DynamoDB (moto) while the stream runner indexes through a fault
 * proxy; faults, outages, runner restarts (and in the full run an OpenSearch crash) are injected; poison items
 * are sent and later fixed. Then the runner drains, the failure handler archives what reached the DLQ and
 * the on-failure queue, `replay` re-drives the archive, and every touched key is compared with the table.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  await ensureStack();
  const machine = machineInfo();
  const versions = await stackVersions();
  options.log(`chaos (${options.mode}): seed ${options.seed}; ${machineLine(machine, versions)}`);
  const endpoints = stackEndpoints();
  const clients: ChaosClients = { dynamo: dynamoClient(), sqs: sqsClient(), s3: s3Client(), openSearch: openSearchClient() };
  const resources = await createChaosResources(clients);
  const proxy = await startFaultProxy({ target: endpoints.opensearch });
  const random = createPrng(options.seed);
  const schedule = faultSchedule(random, {
    durationMs: Math.round((options.operations / options.rate) * 1000),
    killOpenSearch: options.killOpenSearch,
    meanGapMs: options.faultGapMs,
  });
  const savedEnvironment = { ...process.env };
  const { runner, dlq, onFailure } = wireHandlers(resources, proxy, schedule, endpoints);
  const faults = noFaults();
  try {
    await runner.start();
    const keys = workloadKeys(options.keys);
    const poison = poisonKeys(options.poison);
    const documentIds = keys.map((key) => documentId({ pk: key.pk, sk: key.sk }, CHAOS_KEY_ATTRIBUTES));
    const targets: FaultTargets = { proxy, runner, random, documentIds, openSearchNode: endpoints.opensearch, log: options.log };

    const workloadStart = Date.now();
    const drainLoop = drainContinuously([dlq, onFailure]);
    const [workload] = await Promise.all([
      runWorkload(clients.dynamo, resources.table, keys, poison, options, random),
      runFaults(schedule, targets, faults, workloadStart),
    ]);
    proxy.clearRules();
    await fixPoison(clients.dynamo, resources.table, poison, random, workload);
    const { touched: touchedKeys, ...workloadCounts } = workload;
    const workloadMs = Date.now() - workloadStart;
    options.log(`workload done in ${Math.round(workloadMs / 1000)} s: ${JSON.stringify(workloadCounts)}; faults ${JSON.stringify(faults)}`);

    const drainStart = Date.now();
    await waitUntil('the stream runner to catch up', options.drainTimeoutMs, () => runner.caughtUp(), 2);
    drainLoop.stop();
    await drainLoop.done;
    await drainQueues([dlq, onFailure], options.drainTimeoutMs);
    const drainMs = Date.now() - drainStart;
    // Counted before replay, which moves what it handled out of the archive prefix.
    const poisonArchived = countArchivedPoison(await readArchive(new S3ArchiveStore(clients.s3, resources.bucket), ARCHIVE_PREFIX), poison);
    options.log(`poison records archived: ${JSON.stringify(poisonArchived)}`);

    const replayStart = Date.now();
    const replay = await replayUntilClean(resources, endpoints, options.log);
    const replayMs = Date.now() - replayStart;

    const verifyStart = Date.now();
    const touched = [...uniqueKeys(touchedKeys), ...poison];
    const indexOf = (entity: string) => (entity === 'product' ? resources.products : entity === 'event' ? resources.events : undefined);
    const comparison = await verifyIndex({
      dynamo: clients.dynamo,
      openSearch: clients.openSearch,
      table: resources.table,
      touched,
      indexOf,
      parked: new Set(),
    });
    const verifyMs = Date.now() - verifyStart;
    return {
      bench: 'chaos',
      command: options.command,
      generatedAt: new Date().toISOString(),
      machine,
      versions,
      settings: { ...options.settings, runner: CHAOS_RUNNER_SETTINGS, indexer: CHAOS_INDEXER_SETTINGS, routes: resources.routes },
      quick: options.mode === 'reduced',
      notes: options.notes,
      seed: options.seed,
      mode: options.mode,
      workload: { ...workloadCounts, keys: options.keys, touchedKeys: touched.length, plannedRatePerSecond: options.rate },
      faults: { scheduled: schedule.length, injected: faults, proxy: structuredClone(proxy.counters) },
      runner: { ...runner.counters },
      failurePath: { dlq: { ...dlq.counters }, onFailure: { ...onFailure.counters }, poisonArchived, replay },
      result: { ...comparison, parked: 0 },
      timings: { workloadMs, drainMs, replayMs, verifyMs, totalMs: Date.now() - started },
      passed: comparison.lost === 0 && comparison.stale === 0 && comparison.resurrected === 0 && replay.at(-1)?.failed === 0,
    };
  } finally {
    await runner.stop();
    await proxy.stop();
    restoreEnvironment(savedEnvironment);
    // Whatever happened, leave the shared stack with a healthy OpenSearch.
    if (faults['opensearch-kill'] > 0) await ensureStack(['opensearch']);
    if (!options.keepResources) await removeChaosResources(clients, resources);
  }
}

/**
 * Configures and loads the two Lambda handlers in this process: the indexer (writing through the fault proxy)
 * under a stream runner, and the failure handler behind one drain per queue.
 */
function wireHandlers(
  resources: ChaosResources,
  proxy: FaultProxy,
  schedule: readonly FaultEvent[],
  endpoints: ReturnType<typeof stackEndpoints>,
): { runner: RunnerControl; dlq: QueueDrain; onFailure: QueueDrain } {
  const indexer = indexerVariables({
    openSearchNode: proxy.url,
    syncName: CHAOS_SYNC,
    indexes: resources.indexes,
    dlqUrl: resources.dlq.url,
    sqsEndpoint: endpoints.sqs,
    extra: CHAOS_INDEXER_SETTINGS,
  });
  Object.assign(process.env, indexer, {
    ARCHIVE_BUCKET: resources.bucket,
    ARCHIVE_PREFIX,
    S3_ENDPOINT: endpoints.s3,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    // The failure handler's EMF metric lines would drown the run's own output.
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const runner = new RunnerControl(
    {
      handler: loadHandler(DEFAULT_HANDLER),
      tableName: resources.table,
      checkpointFile: resources.checkpointFile,
      onFailure: defaultSqsDestination(resources.onFailure.url),
    },
    CHAOS_RUNNER_SETTINGS,
    schedule.flatMap((event) => (event.fault.kind === 'runner-restart' ? [event.fault.abrupt] : [])),
  );
  // The failure handler reads its configuration when loaded: after the variables above are set.
  const failureHandler = loadHandler(FAILURE_HANDLER) as unknown as SqsHandler;
  const sqs = sqsClient();
  return {
    runner,
    dlq: new QueueDrain(sqs, resources.dlq.url, resources.dlq.arn, failureHandler),
    onFailure: new QueueDrain(sqs, resources.onFailure.url, resources.onFailure.arn, failureHandler),
  };
}

/** Issues the operations at the planned rate; per key in order (each key belongs to one writer). */
async function runWorkload(
  dynamo: DynamoDBClient,
  table: string,
  keys: readonly ChaosKey[],
  poison: readonly ChaosKey[],
  options: ChaosOptions,
  random: ReturnType<typeof createPrng>,
): Promise<ChaosWorkloadCounts & { touched: ChaosKey[] }> {
  const next = operationGenerator(random, keys);
  const poisonAt = new Map(
    poison.map((key, position) => [
      Math.round(options.operations * (0.1 + (0.7 * (position + random.next())) / Math.max(1, poison.length))),
      key,
    ]),
  );
  const counts: ChaosWorkloadCounts & { touched: ChaosKey[] } = {
    operations: 0,
    puts: 0,
    updates: 0,
    deletes: 0,
    poison: 0,
    poisonFixed: 0,
    conditionalMisses: 0,
    failedOperations: 0,
    touched: [],
  };
  const writers: Promise<void>[] = Array.from({ length: WRITERS }, () => Promise.resolve());
  const start = Date.now();
  for (let position = 0; position < options.operations; position += 1) {
    await sleep(start + (position * 1000) / options.rate - Date.now());
    const poisonKey = poisonAt.get(position);
    const operation: ChaosOperation = poisonKey ? { kind: 'poison', key: poisonKey, ...poisonItem(random, poisonKey, position) } : next();
    if (operation.kind !== 'poison') counts.touched.push(operation.key);
    const writer = writerOf(operation.key);
    writers[writer] = (writers[writer] as Promise<void>).then(() => apply(dynamo, table, operation, counts));
  }
  await Promise.all(writers);
  return counts;
}

function writerOf(key: ChaosKey): number {
  let hash = 0;
  for (const char of key.pk) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % WRITERS;
}

async function apply(dynamo: DynamoDBClient, table: string, operation: ChaosOperation, counts: ChaosWorkloadCounts): Promise<void> {
  counts.operations += 1;
  try {
    switch (operation.kind) {
      case 'put':
      case 'poison':
      case 'fix':
        await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(operation.item) }));
        if (operation.kind === 'put') counts.puts += 1;
        else if (operation.kind === 'poison') counts.poison += 1;
        else counts.poisonFixed += 1;
        return;
      case 'update': {
        const names = Object.keys(operation.set);
        await dynamo.send(
          new UpdateItemCommand({
            TableName: table,
            Key: marshall({ pk: operation.key.pk, sk: operation.key.sk }),
            UpdateExpression: `SET ${names.map((_, position) => `#f${position} = :v${position}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(names.map((name, position) => [`#f${position}`, name])),
            ExpressionAttributeValues: marshall(Object.fromEntries(names.map((name, position) => [`:v${position}`, operation.set[name]]))),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
        counts.updates += 1;
        return;
      }
      case 'delete':
        await dynamo.send(new DeleteItemCommand({ TableName: table, Key: marshall({ pk: operation.key.pk, sk: operation.key.sk }) }));
        counts.deletes += 1;
        return;
    }
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) counts.conditionalMisses += 1;
    else counts.failedOperations += 1;
  }
}

/** "Fix the data": a later valid put of every poison key, so that the stream and then replay can index it. */
async function fixPoison(
  dynamo: DynamoDBClient,
  table: string,
  poison: readonly ChaosKey[],
  random: ReturnType<typeof createPrng>,
  counts: ChaosWorkloadCounts,
): Promise<void> {
  for (const [position, key] of poison.entries())
    await apply(dynamo, table, { kind: 'fix', key, item: validItem(random, key, 1_000_000 + position) }, counts);
}

/** Injects the faults on schedule; a fault that fails (e.g. OpenSearch does not come back) fails the run once all have settled. */
async function runFaults(schedule: readonly FaultEvent[], targets: FaultTargets, counts: FaultCounts, start: number): Promise<void> {
  const running: Promise<PromiseSettledResult<void>>[] = [];
  for (const event of schedule) {
    await sleep(start + event.atMs - Date.now());
    running.push(
      Promise.allSettled([injectFault(event.fault, targets, counts)]).then(([settled]) => settled as PromiseSettledResult<void>),
    );
  }
  const failed = (await Promise.all(running)).find((settled): settled is PromiseRejectedResult => settled.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Lambda's SQS pollers, while the workload runs. */
function drainContinuously(drains: readonly QueueDrain[]): { stop(): void; done: Promise<void> } {
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const received = await Promise.all(drains.map((drain) => drain.once().catch(() => 0)));
      if (received.every((count) => count === 0)) await sleep(500);
    }
  };
  const done = loop();
  return { stop: () => void (running = false), done };
}

/** Drains both queues until they are empty, twice in a row. */
async function drainQueues(drains: readonly QueueDrain[], timeoutMs: number): Promise<void> {
  await waitUntil(
    'the failure queues to be drained',
    timeoutMs,
    async () => {
      const received = await Promise.all(drains.map((drain) => drain.once(1)));
      const remaining = await Promise.all(drains.map((drain) => drain.remaining()));
      return received.every((count) => count === 0) && remaining.every((count) => count === 0);
    },
    2,
  );
}

/** Runs `replay run` until a pass leaves nothing failed (at most REPLAY_PASSES): objects that failed stay in the archive for the next pass. */
async function replayUntilClean(
  resources: ChaosResources,
  endpoints: ReturnType<typeof stackEndpoints>,
  log: (line: string) => void,
): Promise<ReplaySummary[]> {
  const passes: ReplaySummary[] = [];
  do {
    const pass = await runReplay(resources, endpoints);
    passes.push(pass);
    log(`replay pass ${passes.length}: ${JSON.stringify(pass)}`);
  } while ((passes.at(-1)?.failed ?? 0) > 0 && passes.length < REPLAY_PASSES);
  return passes;
}

async function runReplay(resources: ChaosResources, endpoints: ReturnType<typeof stackEndpoints>): Promise<ReplaySummary> {
  const run = await runTypeScript(CLI_ENTRY, ['--definition', BENCH_DEFINITION_MODULE, '--sync', CHAOS_SYNC, 'replay', 'run', '--json'], {
    env: {
      ...process.env,
      ...benchIndexVariables(resources.indexes),
      ARCHIVE_BUCKET: resources.bucket,
      ARCHIVE_PREFIX,
      S3_ENDPOINT: endpoints.s3,
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
      OPENSEARCH_NODE: endpoints.opensearch,
    },
    acceptExitCodes: [0, 1],
  });
  const lines = jsonLines(run.stdout);
  const summary = lines.find((line) => line['type'] === 'summary') as Partial<ReplaySummary> | undefined;
  const objects = lines.filter((line) => line['type'] === 'object');
  return {
    failureReasons: failureReasons(objects),
    exitCode: run.exitCode ?? -1,
    objects: summary?.objects ?? objects.length,
    byStatus: summary?.byStatus ?? {},
    indexed: summary?.indexed ?? 0,
    deleted: summary?.deleted ?? 0,
    stale: summary?.stale ?? 0,
    skipped: summary?.skipped ?? 0,
    failed: summary?.failed ?? (run.exitCode === 0 ? 0 : 1),
    items: objects.reduce((total, object) => total + Number((object['counts'] as { items?: number } | undefined)?.items ?? 0), 0),
  };
}

/** Puts back the variables the handlers were configured with (OPENSEARCH_NODE pointed at the proxy). */
function restoreEnvironment(saved: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
}

function failureReasons(objects: readonly Record<string, unknown>[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const object of objects) {
    for (const failure of (object['failures'] as { reason?: string }[] | undefined) ?? []) {
      const reason = String(failure.reason ?? 'unknown').slice(0, 300);
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, 10));
}

function uniqueKeys(keys: readonly ChaosKey[]): ChaosKey[] {
  return [...new Map(keys.map((key) => [`${key.pk}|${key.sk}`, key])).values()];
}

/** Polls `condition` every second until it holds `times` times in a row. */
async function waitUntil(what: string, timeoutMs: number, condition: () => boolean | Promise<boolean>, times: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let streak = 0;
  while (streak < times) {
    if (Date.now() > deadline) throw new BenchTimeoutError(what, timeoutMs);
    streak = (await condition()) ? streak + 1 : 0;
    if (streak < times) await sleep(1_000);
  }
}
