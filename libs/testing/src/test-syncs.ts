import type { SyncRouting } from '@ddb-os/sync-config';
import { defineSyncs, type ResolvedSync, type RouteDefinition, type SyncDefinition } from '@ddb-os/sync-definition';

/** A sync for a test: its routes over a pk/sk table (or the given keys), on the local OpenSearch. */
export interface TestSyncOptions {
  readonly name?: string;
  readonly routes: readonly RouteDefinition[];
  /** @default ['pk', 'sk'] */
  readonly keyAttributes?: readonly [string] | readonly [string, string];
  readonly versionAttribute?: string;
  readonly mappingDynamic?: 'strict' | 'false';
  readonly mode?: SyncDefinition['mode'];
}

/** The definition of a test's sync (a created table with the given keys, an existing local domain). */
export function testSyncDefinition(options: TestSyncOptions): SyncDefinition {
  const [partitionKey, sortKey] = options.keyAttributes ?? ['pk', 'sk'];
  return {
    name: options.name ?? 'test',
    table: { create: { partitionKey, ...(sortKey !== undefined && { sortKey }) } },
    domain: { existing: { endpoint: 'http://127.0.0.1:9200', arn: 'arn:aws:es:us-east-1:000000000000:domain/local' } },
    routes: options.routes,
    ...(options.versionAttribute !== undefined && { versionAttribute: options.versionAttribute }),
    ...(options.mappingDynamic !== undefined && { mappingDynamic: options.mappingDynamic }),
    ...(options.mode !== undefined && { mode: options.mode }),
  };
}

/**
 * A validated test sync.
 *
 * @example
 * const sync = testSync({ routes: [{ index: uniqueName('items'), match: { always: true } }] });
 */
export function testSync(options: TestSyncOptions): ResolvedSync {
  const definition = testSyncDefinition(options);
  return defineSyncs({ syncs: [definition] }).named(definition.name);
}

/** The routing every writer takes from a test sync (its declared keys). */
export function testRouting(options: TestSyncOptions): SyncRouting {
  const sync = testSync(options);
  return sync.routingFor(sync.declaredKeyAttributes ?? ['pk', 'sk']);
}
