import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Client } from '@opensearch-project/opensearch';
import type { SyncTargetConfig } from '@ddb-os/sync-config';
import { runBackfill, type BackfillDependencies, type BackfillOptions } from '../../src/backfill';
import { BackPressure } from '../../src/rate-limit';
import { runVerify, type VerifyOptions } from '../../src/verify';
import type { BackfillSummary, VerifySummary } from '../../src/types';

/** Clients and target of an integration test. */
export interface TestClients {
  readonly dynamo: DynamoDBClient;
  readonly openSearch: Client;
  readonly target: SyncTargetConfig;
}

/** Backfill options for a table Scan with small pages (moto is slow), state files in `directory`. */
export function scanBackfillOptions(table: string, directory: string, overrides: Partial<BackfillOptions> = {}): BackfillOptions {
  return {
    source: { kind: 'scan', table, segments: 4, pageSize: 100 },
    concurrency: 4,
    checkpointFile: path.join(directory, 'checkpoint.json'),
    mode: 'fresh',
    failuresFile: path.join(directory, 'failures.ndjson'),
    maxPageAttempts: 8,
    ...overrides,
  };
}

/** Runs a backfill with short back-pressure pauses. */
export function backfill(
  clients: TestClients,
  options: BackfillOptions,
  extra: Partial<BackfillDependencies> = {},
): Promise<BackfillSummary> {
  return runBackfill(options, {
    ...clients,
    backPressure: new BackPressure({ initialDelayMs: 20, maxDelayMs: 500 }),
    ...extra,
  });
}

/** Runs a full verify (every phase) of `table`. */
export function verify(clients: TestClients, table: string, overrides: Partial<VerifyOptions> = {}): Promise<VerifySummary> {
  return runVerify(
    {
      table,
      segments: 4,
      concurrency: 4,
      pageSize: 200,
      sample: 1,
      sampleSeed: '',
      counts: true,
      keys: true,
      extras: true,
      repair: false,
      ...overrides,
    },
    clients,
  );
}
