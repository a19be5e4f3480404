/**
 * `nx run demo-api:seed [--count=n]`: puts n generated products (and their reviews) into the demo table.
 * The table is created when missing; with `nx serve demo-api` running, the items show up in search.
 */
import { loadConfig } from './config';
import { DynamoItemStore } from './backends/dynamodb-item-store';
import { closeClients, createClients } from './dependencies';
import { InvalidDemoConfigError } from './errors';
import { ensureDemoTable } from './local/provision';
import { describeError, jsonLogger } from './logger';
import { seedCatalogue } from './seed-data';

async function main(): Promise<void> {
  const countArgument = process.argv.slice(2).find((argument) => /^(--count=)?\d+$/.test(argument));
  const config = loadConfig(countArgument ? { ...process.env, DEMO_SEED: countArgument.replace('--count=', '') } : process.env);
  const count = config.seedCount > 0 ? config.seedCount : 20;
  const clients = createClients(config);
  try {
    await ensureDemoTable(clients.dynamodb, config.tableName);
    const written = await seedCatalogue(new DynamoItemStore({ client: clients.dynamodb, tableName: config.tableName }), count);
    jsonLogger('demo-seed').info('seeded', { table: config.tableName, products: count, items: written });
  } finally {
    await closeClients(clients);
  }
}

main().catch((error: unknown) => {
  if (error instanceof InvalidDemoConfigError) process.stderr.write(`${error.message}\n`);
  else jsonLogger('demo-seed').error('seeding failed', describeError(error));
  process.exit(1);
});
