/**
 * The demo API on its own, against whatever endpoints the environment names (no local stack, no stream runner:
 * in AWS the Lambda indexer keeps the index in sync). `serve.ts` is the all-in-one local variant.
 */
import { workspaceRoot } from '@ddb-os/local-stack';
import { loadConfig } from './config';
import { closeClients, createClients, createDependencies } from './dependencies';
import { InvalidDemoConfigError } from './errors';
import { createApp } from './app';
import { describeError, jsonLogger } from './logger';
import { loadDemoPage } from './routes/page';
import { listen } from './server';

async function main(): Promise<void> {
  const logger = jsonLogger('demo-api');
  const config = loadConfig();
  const clients = createClients(config);
  const app = createApp(createDependencies(config, clients, { logger, page: loadDemoPage(), workspaceRoot: workspaceRoot() }));
  const server = await listen(app, { host: config.host, port: config.port });
  logger.info('listening', { url: server.url, table: config.tableName, indexes: config.indexes });
  process.stdout.write(`\n  demo API and page: ${server.url}\n\n`);
  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    await server.close();
    await closeClients(clients);
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  if (error instanceof InvalidDemoConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    jsonLogger('demo-api').error('failed to start', describeError(error));
  }
  process.exit(1);
});
