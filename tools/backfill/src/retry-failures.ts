import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Client } from '@opensearch-project/opensearch';
import type { SyncTargetConfig } from '@ddb-os/sync-config';
import type { JsonObject } from '@ddb-os/stream-decoding';
import { batchGetItems, keyFromJson } from './batch-get';
import { addCounts, emptyCounts } from './checkpoint';
import { DEFAULTS } from './constants';
import { InvalidFailuresFileError } from './errors';
import { NdjsonWriter } from './ndjson-writer';
import { pageWriterFor, writePage } from './page-writer';
import { BackPressure } from './rate-limit';
import { assertKeyAttributes, describeTable } from './table-scan';
import type { ItemCounts } from './types';

/** Options of {@link retryFailures}. */
export interface RetryFailuresOptions {
  readonly table: string;
  /** A failures file written by `backfill`. */
  readonly failuresFile: string;
  /** Where the items that still cannot be indexed go. */
  readonly stillFailingFile: string;
  readonly maxPageAttempts: number;
}

/** Clients and configuration of {@link retryFailures}. */
export interface RetryFailuresDependencies {
  readonly dynamo: DynamoDBClient;
  readonly openSearch: Client;
  readonly target: SyncTargetConfig;
  readonly signal?: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The result of {@link retryFailures}. */
export interface RetryFailuresSummary {
  readonly records: number;
  /** Records without a readable key (e.g. a corrupt export line): left alone. */
  readonly withoutKey: number;
  /** Keys whose item no longer exists (its delete reached the index through the stream). */
  readonly gone: number;
  readonly counts: ItemCounts;
  readonly stillFailingFile: string;
}

/**
 * Replays a backfill failures file once its cause is fixed (schema, mapping, cluster limits): re-reads each
 * failed key from the table (strongly consistent, read time taken before) and writes the current item through
 * the backfill pipeline. The item stored in the file is not written: the table may have changed since.
 *
 * @example
 * await retryFailures({ table: 'orders', failuresFile: 'f.ndjson', stillFailingFile: 'f2.ndjson', maxPageAttempts: 8 }, dependencies);
 */
export async function retryFailures(options: RetryFailuresOptions, dependencies: RetryFailuresDependencies): Promise<RetryFailuresSummary> {
  const info = await describeTable(dependencies.dynamo, options.table);
  assertKeyAttributes(options.table, info, dependencies.target.keyAttributes);
  const stillFailing = new NdjsonWriter(options.stillFailingFile, { append: false });
  const counts = emptyCounts();
  const tally = { records: 0, withoutKey: 0, gone: 0 };
  const context = pageWriterFor(dependencies.target, {
    client: dependencies.openSearch,
    backPressure: new BackPressure(),
    maxPageAttempts: options.maxPageAttempts,
    failures: stillFailing,
    sourceIdentity: `table:${options.table}`,
    source: 'backfill',
    signal: dependencies.signal ?? new AbortController().signal,
  });
  const replay = async (keys: Map<string, Record<string, AttributeValue>>): Promise<void> => {
    const readAtMs = (dependencies.now ?? Date.now)();
    const items = await batchGetItems(dependencies.dynamo, options.table, [...keys.values()]);
    tally.gone += keys.size - items.length;
    const result = await writePage({ readAtMs, items, next: null, consumedRcu: 0, startedFrom: undefined }, 'retry', context);
    addCounts(counts, result.counts);
  };
  try {
    let batch = new Map<string, Record<string, AttributeValue>>();
    for await (const record of failureRecords(options.failuresFile)) {
      if (context.signal.aborted) break;
      tally.records += 1;
      const key = record.keys === undefined ? undefined : keyFromJson(record.keys, info.keyTypes);
      if (key === undefined) {
        tally.withoutKey += 1;
        continue;
      }
      batch.set(JSON.stringify(record.keys), key);
      if (batch.size >= DEFAULTS.batchGetSize) {
        await replay(batch);
        batch = new Map();
      }
    }
    if (batch.size > 0) await replay(batch);
  } finally {
    await stillFailing.close();
  }
  return { ...tally, counts, stillFailingFile: options.stillFailingFile };
}

async function* failureRecords(file: string): AsyncGenerator<{ keys: JsonObject | undefined }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new InvalidFailuresFileError(file, lineNumber, `not JSON (${(error as Error).message})`);
    }
    if (record === null || typeof record !== 'object' || typeof (record as { reason?: unknown }).reason !== 'string') {
      throw new InvalidFailuresFileError(file, lineNumber, 'expected an object with "reason" (and "keys")');
    }
    const keys = (record as { keys?: unknown }).keys;
    yield { keys: keys !== null && typeof keys === 'object' && !Array.isArray(keys) ? (keys as JsonObject) : undefined };
  }
}
