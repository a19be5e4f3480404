/**
 * `nx serve demo-api`: the whole product on one machine. Brings up the local stack (reusing running servers),
 * creates the table (with its stream), the queues, the indexes and the archive bucket, runs the real indexer
 * in-process behind the stream runner and the real failure handler on the DLQ and the on-failure queue, and
 * serves the API and page. Ctrl-C stops the runner, the server, and the stack servers this
 * process started.
 */
import path from 'node:path';
import { ensureStackUp, releaseLease, stackPaths, stopStack, takeLease, workspaceRoot, type ServerName } from '@ddb-os/local-stack';
import { createApp } from './app';
import { demoRoutingOf } from './demo-sync';
import { DynamoItemStore } from './backends/dynamodb-item-store';
import { loadConfig, type DemoConfig } from './config';
import { closeClients, createClients, createDependencies, type DemoClients } from './dependencies';
import { InvalidDemoConfigError } from './errors';
import { startFailureSync, type FailureSync } from './local/failure-sync';
import { dropDemoIndexes, ensureBucket, ensureDemoIndexes, ensureDemoTable, ensureQueue } from './local/provision';
import { startStreamSync } from './local/stream-sync';
import { describeError, jsonLogger, type Logger } from './logger';
import { loadDemoPage } from './routes/page';
import { seedCatalogue } from './seed-data';
import { listen, type RunningServer } from './server';

const STACK_SERVERS: readonly ServerName[] = ['dynamodb', 'opensearch', 'sqs', 's3'];

/** What a shutdown has to undo, in reverse order of creation. */
interface Started {
  stackServers: readonly ServerName[];
  leased: boolean;
  clients?: DemoClients;
  runner?: { stop(): Promise<void> };
  failureSync?: FailureSync;
  server?: RunningServer;
}

async function serveDemo(logger: Logger, started: Started): Promise<void> {
  const baseConfig = loadConfig();
  const root = workspaceRoot();
  const stack = await ensureStackUp({ servers: STACK_SERVERS, log: (line) => logger.info(`local-stack: ${line}`) });
  started.stackServers = stack.started;
  takeLease(stackPaths(root));
  started.leased = true;

  const clients = createClients(baseConfig);
  started.clients = clients;
  const { streamArn, created } = await ensureDemoTable(clients.dynamodb, baseConfig.tableName);
  const config: DemoConfig = {
    ...baseConfig,
    dlqUrl: baseConfig.dlqUrl ?? (await ensureQueue(clients.sqs, `${baseConfig.tableName}-dlq`)),
    onFailureQueueUrl: baseConfig.onFailureQueueUrl ?? (await ensureQueue(clients.sqs, `${baseConfig.tableName}-on-failure`)),
  };
  if (created) {
    const dropped = await dropDemoIndexes(clients.openSearch, config.indexes);
    if (dropped.length > 0) logger.warn('new table: dropped indexes left from an earlier table', { dropped });
  }
  await ensureDemoIndexes(clients.openSearch, demoRoutingOf(config.sync));
  await ensureBucket(clients.s3, config.archive.bucket);
  const queues = { deadLetter: config.dlqUrl as string, onFailure: config.onFailureQueueUrl as string };
  started.failureSync = await startFailureSync({ config, sqs: clients.sqs, queues, logger, workspaceRoot: root });

  const runner = await startStreamSync({
    config,
    streamArn,
    dlqUrl: config.dlqUrl as string,
    onFailureQueueUrl: config.onFailureQueueUrl as string,
    checkpointFile: path.join(root, '.cache', 'demo-api', `${config.tableName}.checkpoints.json`),
    logger,
  });
  started.runner = runner;

  const app = createApp(createDependencies(config, clients, { logger, runner, page: loadDemoPage(), workspaceRoot: root }));
  const server = await listen(app, { host: config.host, port: config.port });
  started.server = server;
  logger.info('serving', {
    url: server.url,
    table: config.tableName,
    streamArn,
    indexes: config.indexes,
    ...queues,
    archive: `s3://${config.archive.bucket}/${config.archive.prefix}`,
  });

  if (config.seedCount > 0) {
    const written = await seedCatalogue(new DynamoItemStore({ client: clients.dynamodb, tableName: config.tableName }), config.seedCount);
    logger.info('seeded', { items: written });
  }
  process.stdout.write(`\n  Demo ready: ${server.url}   (Ctrl-C stops it)\n\n`);
}

async function shutdown(logger: Logger, started: Started): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['stream runner', async () => started.runner?.stop()],
    ['failure handler', async () => started.failureSync?.stop()],
    ['http server', async () => started.server?.close()],
    ['clients', async () => (started.clients ? closeClients(started.clients) : undefined)],
    ['stack lease', async () => (started.leased ? releaseLease(stackPaths(workspaceRoot())) : undefined)],
    [
      'local stack',
      async () => (started.stackServers.length > 0 ? stopStack({ servers: started.stackServers, respectLeases: true }) : undefined),
    ],
  ];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      logger.warn(`could not stop the ${what}`, describeError(error));
    }
  }
}

function main(): void {
  const logger = jsonLogger('demo-api');
  const started: Started = { stackServers: [], leased: false };
  let stopping = false;
  const stop = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { reason, stopsStackServers: started.stackServers });
    void shutdown(logger, started).finally(() => process.exit(exitCode));
  };
  // Under `nx serve`, nx may exit before us and close our stdout: a write error must not abort the cleanup.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  serveDemo(logger, started).catch((error: unknown) => {
    if (error instanceof InvalidDemoConfigError) process.stderr.write(`${error.message}\n`);
    else logger.error('demo failed to start', describeError(error));
    stop('startup failed', 1);
  });
}

main();
