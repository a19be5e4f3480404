import type { ResolvedSync } from '@ddb-os/sync-definition';

/**
 * The name of the table a sync's definition names (an existing table, by name or ARN), or `undefined` for a table
 * the deployment creates (its name is known only once deployed: pass it with `--table`).
 *
 * @example
 * syncTableName(syncs.named('orders')); // 'orders' for { existing: { name: 'orders' } }
 */
export function syncTableName(sync: ResolvedSync): string | undefined {
  const table = sync.definition.table;
  if (!('existing' in table)) return undefined;
  return table.existing.name ?? table.existing.arn?.split('/')[1];
}
