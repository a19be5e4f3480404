import { decodeBatch } from '@ddb-os/stream-decoding';
import { coalesce, planBatch } from '@ddb-os/indexing-core';
import type { IndexRoute } from '@ddb-os/opensearch-mapping';
import { indexSchemas } from '@ddb-os/schemas';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { BatchNotIndexedError } from './errors';
import { busyTime, type HttpRecorder } from './http-timing';
import { benchContext } from './lambda';
import type { StreamHandler } from './local';
import type { BatchTiming, StepTiming } from './throughput';

const INVOCATION_TIMEOUT_MS = 120_000;

/**
 * Invokes the handler once per batch, in order (one shard: one batch at a time), timing each invocation:
 * wall clock, process CPU, and OpenSearch round trips. Every batch must be fully indexed.
 */
export async function timeHandler(handler: StreamHandler, events: readonly DynamoDBStreamEvent[], recorder: HttpRecorder): Promise<BatchTiming[]> {
  const timings: BatchTiming[] = [];
  recorder.take();
  for (const [number, event] of events.entries()) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const response = await handler(event, benchContext(INVOCATION_TIMEOUT_MS));
    const wallMs = performance.now() - start;
    const { user, system } = process.cpuUsage(cpu);
    const http = recorder.take();
    const failures = response?.batchItemFailures ?? [];
    if (failures.length > 0) throw new BatchNotIndexedError(number, `resume from ${failures[0]?.itemIdentifier}`);
    timings.push({
      records: event.Records.length,
      wallMs,
      cpuUs: user + system,
      openSearchMs: busyTime(http.intervals),
      bulkRequests: http.requests.bulk,
      mgetRequests: http.requests.mget,
      otherRequests: http.requests.other,
    });
  }
  return timings;
}

/**
 * Times the indexer's pure steps on their own over the same batches: decode (`decodeBatch`), then route,
 * validate, derive ids and coalesce (`planBatch` + `coalesce`), as the indexer runs them.
 */
export function timeSteps(events: readonly DynamoDBStreamEvent[], routes: readonly IndexRoute[]): StepTiming {
  const decodeCpu = process.cpuUsage();
  const decodeStart = performance.now();
  const decoded = events.map((event) => decodeBatch(event));
  const decodeMs = performance.now() - decodeStart;
  const decodeUsage = process.cpuUsage(decodeCpu);

  const planCpu = process.cpuUsage();
  const planStart = performance.now();
  let documents = 0;
  for (const batch of decoded) {
    const plan = planBatch(
      batch.changes.map((change, position) => ({ change, position })),
      { routes, keyAttributes: ['pk', 'sk'], schemas: indexSchemas, ttlDeletePolicy: 'delete', unroutedPolicy: 'skip' },
    );
    documents += coalesce(plan.writes).length;
  }
  const planMs = performance.now() - planStart;
  const planUsage = process.cpuUsage(planCpu);
  return { decodeMs, decodeCpuUs: decodeUsage.user + decodeUsage.system, planMs, planCpuUs: planUsage.user + planUsage.system, documents };
}
