import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '@ddb-os/testing';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { silentLogger } from '../../src/logger';
import { StreamRunner } from '../../src/stream-runner';
import type { HandlerResult, StreamRunnerOptions } from '../../src/types';

export const tempCheckpointFile = async (): Promise<string> =>
  path.join(await mkdtemp(path.join(tmpdir(), 'stream-runner-')), 'checkpoints.json');

/** Fast polling and retries so tests take milliseconds. */
export const FAST = {
  pollIntervalMs: 5,
  idlePollMaxMs: 20,
  describeIntervalMs: 30,
  retryBaseDelayMs: 1,
  retryMaxDelayMs: 5,
  stopGraceMs: 2_000,
} as const;

export function fastRunner(options: StreamRunnerOptions): StreamRunner {
  return new StreamRunner({ logger: silentLogger, ...FAST, ...options });
}

/** Polls until `predicate` holds; fails with `what` after the timeout. */
export async function waitUntil(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  intervalMs = 10,
): Promise<void> {
  await waitFor(async () => (await predicate()) || false, { description: what, timeoutMs, intervalMs });
}

/** A handler recording every event; `respond` decides the result per event. */
export function recordingHandler(
  respond: (event: DynamoDBStreamEvent, call: number) => HandlerResult | Promise<HandlerResult> = () => undefined,
) {
  const events: DynamoDBStreamEvent[] = [];
  const handler = async (event: DynamoDBStreamEvent): Promise<HandlerResult> => {
    events.push(event);
    return respond(event, events.length);
  };
  const sequenceNumbers = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '?';
  return {
    handler,
    events,
    /** Sequence numbers of each invocation. */
    batches: (): string[][] => events.map((event) => event.Records.map(sequenceNumbers)),
    /** Every sequence number delivered, in delivery order. */
    delivered: (): string[] => events.flatMap((event) => event.Records.map(sequenceNumbers)),
  };
}
