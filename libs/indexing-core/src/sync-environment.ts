import { awsClientConfig } from '@ddb-os/node-io';
import { markConfigurationError } from '@ddb-os/sync-config';
import { SYNC_ENV } from '@ddb-os/sync-contracts';
import type { ResolvedSync, Syncs } from '@ddb-os/sync-definition';
import { InvalidIndexingConfigError } from './errors';
import { keyAttributesOf } from './table-keys';

/**
 * The sync a function serves: `SYNC_NAME`'s (optional when the definition has one sync). A `SYNC_FINGERPRINT` set by
 * the deployment must equal the compiled-in definition's: otherwise the bundle was built from another definition
 * than the template (rebuild the bundles, then deploy). Throws a configuration error naming the variable.
 *
 * @example
 * const sync = syncOfEnvironment(syncs, { SYNC_NAME: 'demo' });
 */
export function syncOfEnvironment(syncs: Syncs, env: NodeJS.ProcessEnv): ResolvedSync {
  const sync = namedSync(syncs, env[SYNC_ENV.syncName] || undefined);
  const expected = env[SYNC_ENV.syncFingerprint];
  if (expected && expected !== sync.fingerprint)
    throw markConfigurationError(
      new InvalidIndexingConfigError([
        `${SYNC_ENV.syncFingerprint}: the deployment was synthesized from another definition of sync "${sync.name}" (${expected}) than this bundle holds (${sync.fingerprint}): rebuild the bundles (nx run-many -t bundle), then deploy`,
      ]),
    );
  return sync;
}

function namedSync(syncs: Syncs, name: string | undefined): ResolvedSync {
  const known = syncs.names.join(', ');
  if (name === undefined) {
    const only = syncs.names.length === 1 ? syncs.names[0] : undefined;
    if (only !== undefined) return syncs.named(only);
    throw markConfigurationError(
      new InvalidIndexingConfigError([`${SYNC_ENV.syncName}: is required: the definition has several syncs (${known})`]),
    );
  }
  if (!syncs.names.includes(name))
    throw markConfigurationError(
      new InvalidIndexingConfigError([`${SYNC_ENV.syncName}: names no sync of the definition ("${name}"; it has: ${known})`]),
    );
  return syncs.named(name);
}

/**
 * The key attributes of the sync's table, partition key first: declared by the definition, or read with DescribeTable
 * of `TABLE_NAME` through `DYNAMODB_ENDPOINT` (the SDK's client is loaded only then: a created table's cold start
 * does not pay for it).
 */
export function tableKeyAttributesOf(sync: ResolvedSync, env: NodeJS.ProcessEnv): Promise<readonly string[]> {
  return keyAttributesOf(sync, {
    tableName: env[SYNC_ENV.tableName] || undefined,
    dynamo: async () => {
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      return new DynamoDBClient(awsClientConfig(env['DYNAMODB_ENDPOINT'], env));
    },
  });
}
