import type { SyncRouting } from '@ddb-os/sync-config';
import { defineSyncs, InvalidSyncDefinitionError, type ResolvedSync, type Syncs } from '@ddb-os/sync-definition';
import { demoSync } from '@ddb-os/syncs';
import { InvalidDemoConfigError } from './errors';

/** The demo's two index base names (the configured ones: tests use unique names). */
export interface DemoIndexNames {
  readonly products: string;
  readonly reviews: string;
}

/** The variables that name the demo's indexes: where a definition problem of the indexes comes from. */
const INDEX_VARIABLES = 'DEMO_PRODUCTS_INDEX/DEMO_REVIEWS_INDEX';

/** The demo's validated definition (what the handlers take) and its one sync. */
export interface DemoSyncs {
  readonly syncs: Syncs;
  readonly sync: ResolvedSync;
}

/**
 * The workspace definition's demo sync (`demoSync` of `@ddb-os/syncs`) on the configured index names, validated by
 * `defineSyncs` like every sync the Lambdas, the CDK app and the CLIs read: the in-process indexer, the failure path,
 * replay and the index provisioning all take their routes, keys and mappings from it.
 *
 * @example
 * const { syncs, sync } = demoSyncsOf({ products: 'products', reviews: 'reviews' });
 * createStreamBatchHandler(syncs, { ...env, SYNC_NAME: sync.name });
 * @throws InvalidDemoConfigError naming the index variables when the definition refuses these names.
 */
export function demoSyncsOf(indexes: DemoIndexNames): DemoSyncs {
  const definition = demoSync(indexes);
  try {
    const syncs = defineSyncs({ syncs: [definition] });
    return { syncs, sync: syncs.named(definition.name) };
  } catch (error) {
    if (!(error instanceof InvalidSyncDefinitionError)) throw error;
    throw new InvalidDemoConfigError(error.issues.map((issue) => `${INDEX_VARIABLES}: ${issue}`));
  }
}

/**
 * What every writer of the demo takes from its sync: routes, document shapes and mappings, for the key attributes
 * the definition declares (the demo creates its table).
 *
 * @example
 * const mappings = demoRoutingOf(config.sync).shapes.mappingsOf(config.indexes.products);
 */
export function demoRoutingOf(sync: ResolvedSync): SyncRouting {
  const keyAttributes = sync.declaredKeyAttributes;
  // demoSync creates its table: a definition without declared keys is a defect of this workspace, not a user input.
  if (keyAttributes === undefined) throw new Error(`the demo sync "${sync.name}" must declare its table's keys (table.create)`);
  return sync.routingFor(keyAttributes);
}
