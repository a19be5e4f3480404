/*
 * Integration harness: the demo API on an ephemeral port over the real local stack, with the real indexer
 * running in-process behind the stream runner and the real failure handler on its queues, on a unique table,
 * unique indexes, unique queues and a unique archive bucket.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteTableCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { deleteBucket } from './s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { physicalIndexName } from '@ddb-os/opensearch-mapping';
import { workspaceRoot } from '@ddb-os/local-stack';
import type { StreamHandler, StreamRunner } from '@ddb-os/stream-runner';
import { waitFor } from '@ddb-os/testing';
import { createApp } from '../../src/app';
import { demoRoutingOf } from '../../src/demo-sync';
import { loadConfig, type DemoConfig } from '../../src/config';
import { closeClients, createClients, createDependencies, type DemoClients } from '../../src/dependencies';
import { startFailureSync, type FailureSync } from '../../src/local/failure-sync';
import { ensureBucket, ensureDemoIndexes, ensureDemoTable, ensureQueue } from '../../src/local/provision';
import { demoIndexer, startStreamSync } from '../../src/local/stream-sync';
import { silentLogger } from '../../src/logger';
import { loadDemoPage } from '../../src/routes/page';
import { listen, type RunningServer } from '../../src/server';

/** Lowercase and short: valid as a table, queue and index base name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export interface LocalDemo {
  readonly config: DemoConfig;
  readonly clients: DemoClients;
  readonly server: RunningServer;
  readonly checkpointFile: string;
  /** The runner currently running, if any. */
  runner: StreamRunner | undefined;
  startRunner(): Promise<StreamRunner>;
  stopRunner(): Promise<void>;
  /** Every item of the table (consistent scan). */
  scanTable(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Provisions a table (with stream), queues and indexes with unique names, starts the stream runner with the
 * indexer, and serves the demo API on an ephemeral loopback port.
 */
export async function startLocalDemo(): Promise<LocalDemo> {
  const names = {
    table: uniqueName('demo-it'),
    products: uniqueName('products-it'),
    reviews: uniqueName('reviews-it'),
    bucket: uniqueName('demo-it-failures'),
  };
  const baseConfig = loadConfig({
    ...process.env,
    PORT: '0',
    DEMO_TABLE: names.table,
    DEMO_PRODUCTS_INDEX: names.products,
    DEMO_REVIEWS_INDEX: names.reviews,
    ARCHIVE_BUCKET: names.bucket,
    DEMO_SEED: '0',
  });
  const clients = createClients(baseConfig);
  const { streamArn } = await ensureDemoTable(clients.dynamodb, baseConfig.tableName);
  const config: DemoConfig = {
    ...baseConfig,
    dlqUrl: await ensureQueue(clients.sqs, `${names.table}-dlq`),
    onFailureQueueUrl: await ensureQueue(clients.sqs, `${names.table}-on-failure`),
  };
  await ensureDemoIndexes(clients.openSearch, demoRoutingOf(config.sync));
  await ensureBucket(clients.s3, config.archive.bucket);
  const root = workspaceRoot();
  const failureSync: FailureSync = await startFailureSync({
    config,
    sqs: clients.sqs,
    queues: { deadLetter: config.dlqUrl as string, onFailure: config.onFailureQueueUrl as string },
    logger: silentLogger,
    workspaceRoot: root,
  });
  const handler = loadIndexerHandler(config);
  const checkpointDirectory = mkdtempSync(path.join(tmpdir(), 'demo-api-it-'));
  const checkpointFile = path.join(checkpointDirectory, 'checkpoints.json');

  let current: StreamRunner | undefined;
  const runnerStatus = { status: () => current?.status() ?? { state: 'stopped' } };
  const app = createApp(
    createDependencies(config, clients, { logger: silentLogger, runner: runnerStatus, page: loadDemoPage(), workspaceRoot: root }),
  );
  const server = await listen(app, { host: '127.0.0.1', port: 0 });

  const demo: LocalDemo = {
    config,
    clients,
    server,
    checkpointFile,
    get runner() {
      return current;
    },
    set runner(value) {
      current = value;
    },
    async startRunner() {
      current = await startStreamSync({
        config,
        streamArn,
        dlqUrl: config.dlqUrl as string,
        onFailureQueueUrl: config.onFailureQueueUrl as string,
        checkpointFile,
        logger: silentLogger,
        handler,
      });
      return current;
    },
    async stopRunner() {
      await current?.stop();
    },
    async scanTable() {
      const items: Record<string, unknown>[] = [];
      let startKey: ScanCommandOutput['LastEvaluatedKey'];
      do {
        const page = await clients.dynamodb.send(
          new ScanCommand({ TableName: config.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
        );
        items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
    async close() {
      await current?.stop();
      await failureSync.stop();
      await server.close();
      await Promise.allSettled([
        clients.dynamodb.send(new DeleteTableCommand({ TableName: config.tableName })),
        clients.sqs.send(new DeleteQueueCommand({ QueueUrl: config.dlqUrl })),
        clients.sqs.send(new DeleteQueueCommand({ QueueUrl: config.onFailureQueueUrl })),
        clients.openSearch.indices.delete({
          index: [physicalIndexName(config.indexes.products, 1), physicalIndexName(config.indexes.reviews, 1)],
        }),
        deleteBucket(clients.s3, config.archive.bucket),
      ]);
      await closeClients(clients);
      rmSync(checkpointDirectory, { recursive: true, force: true });
    },
  };
  await demo.startRunner();
  return demo;
}

/** The real indexer handler, configured for this test's table, indexes and queues. */
function loadIndexerHandler(config: DemoConfig): StreamHandler {
  return demoIndexer(config, config.dlqUrl as string);
}

/** Calls `probe` every 100 ms until it returns true; resolves with the elapsed milliseconds or throws after `timeoutMs`. */
export async function pollUntil(description: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(async () => (await probe()) || false, { description, timeoutMs, intervalMs: 100 });
  return Date.now() - started;
}

/** JSON over HTTP against the running demo. */
export async function http(
  server: RunningServer,
  method: string,
  pathAndQuery: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${pathAndQuery}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export interface SearchBody {
  readonly total: number;
  readonly items: Record<string, unknown>[];
  readonly took: number;
}

export async function search(server: RunningServer, query: string): Promise<SearchBody> {
  const response = await http(server, 'GET', `/search?${query}`);
  if (response.status !== 200) throw new Error(`GET /search?${query} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as SearchBody;
}
