import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient } from '@ddb-os/index-writer';
import type { SyncTargetConfig } from '@ddb-os/sync-config';

/**
 * The OpenSearch client of a writer's configuration (the indexer, backfill, replay): its node, auth and timeout, and
 * for SigV4 the credentials its own environment names — that environment is not always the process's, which the
 * SDK's default chain would read — else the default chain (Lambda's role).
 *
 * @example
 * const client = openSearchClientOf(loadSyncTargetConfig(routing, env, 'backfill'));
 */
export function openSearchClientOf(config: Pick<SyncTargetConfig, 'openSearch' | 'credentials'>): Client {
  const { credentials } = config;
  return createOpenSearchClient(
    { node: config.openSearch.node, auth: config.openSearch.auth, requestTimeoutMs: config.openSearch.requestTimeoutMs },
    credentials ? { credentials: async () => credentials } : {},
  );
}
