import { decodeBatch } from '@ddb-os/stream-decoding';
import { coalesce, planBatch } from '@ddb-os/indexing-core';
import type { SyncRouting } from '@ddb-os/sync-config';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { BatchNotIndexedError } from './errors';
import { busyTime } from './http-timing';
import { benchContext } from './lambda';
import type { StreamHandler } from './local';
import type { BatchTiming, HttpRecorder, StepTiming } from './types';

const INVOCATION_TIMEOUT_MS = 120_000;
const MAX_REDELIVERIES = 3;

/**
 * Invokes the handler once per batch, in order (one shard: one batch at a time), timing each invocation:
 * wall clock, process CPU, and OpenSearch round trips. A partial failure is delivered again from the
 * reported record, as Lambda does (counted, and its time included); a batch still failing after
 * `MAX_REDELIVERIES` stops the run.
 */
export async function timeHandler(
  handler: StreamHandler,
  events: readonly DynamoDBStreamEvent[],
  recorder: HttpRecorder,
): Promise<BatchTiming[]> {
  const timings: BatchTiming[] = [];
  recorder.take();
  for (const [number, event] of events.entries()) {
    const timing = {
      records: event.Records.length,
      wallMs: 0,
      cpuUs: 0,
      openSearchMs: 0,
      bulkRequests: 0,
      mgetRequests: 0,
      otherRequests: 0,
      redeliveries: 0,
    };
    let pending: DynamoDBStreamEvent | undefined = event;
    while (pending !== undefined) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const response = await handler(pending, benchContext(INVOCATION_TIMEOUT_MS));
      timing.wallMs += performance.now() - start;
      const { user, system } = process.cpuUsage(cpu);
      timing.cpuUs += user + system;
      const http = recorder.take();
      timing.openSearchMs += busyTime(http.intervals);
      timing.bulkRequests += http.requests.bulk;
      timing.mgetRequests += http.requests.mget;
      timing.otherRequests += http.requests.other;
      pending = redeliveryOf(pending, response?.batchItemFailures?.[0]?.itemIdentifier);
      if (pending !== undefined && ++timing.redeliveries > MAX_REDELIVERIES)
        throw new BatchNotIndexedError(
          number,
          `still failing from ${pending.Records[0]?.dynamodb?.SequenceNumber} after ${MAX_REDELIVERIES} redeliveries`,
        );
    }
    timings.push(timing);
  }
  return timings;
}

/** What Lambda delivers again after a partial failure: the reported record and everything after it. */
function redeliveryOf(event: DynamoDBStreamEvent, failedSequenceNumber: string | undefined): DynamoDBStreamEvent | undefined {
  if (failedSequenceNumber === undefined) return undefined;
  const from = event.Records.findIndex((record) => record.dynamodb?.SequenceNumber === failedSequenceNumber);
  return { Records: event.Records.slice(Math.max(0, from)) };
}

/**
 * Times the indexer's pure steps on their own over the same batches: decode (`decodeBatch`), then route,
 * validate, derive ids and coalesce (`planBatch` + `coalesce`), as the indexer runs them.
 */
export function timeSteps(events: readonly DynamoDBStreamEvent[], routing: SyncRouting): StepTiming {
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
      { ...routing, ttlDeletePolicy: 'delete', unroutedPolicy: 'skip' },
    );
    documents += coalesce(plan.writes).length;
  }
  const planMs = performance.now() - planStart;
  const planUsage = process.cpuUsage(planCpu);
  return { decodeMs, decodeCpuUs: decodeUsage.user + decodeUsage.system, planMs, planCpuUs: planUsage.user + planUsage.system, documents };
}
