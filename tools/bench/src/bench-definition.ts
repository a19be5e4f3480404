import type { SyncRouting } from '@ddb-os/sync-config';
import { defineSyncs, type ResolvedSync, type RouteDefinition, type SyncDefinition, type Syncs } from '@ddb-os/sync-definition';
import { ENTITY_TYPE_ATTRIBUTE, productSchema, reviewSchema, TABLE_KEY_ATTRIBUTES } from '@ddb-os/schemas';
import { BenchError } from './errors';

/**
 * The syncs the benches measure, by name. Every one is a pk/sk table (like the demo's) writing to the index the run
 * chooses (a unique name on the shared stack):
 * - `bench-reviews`: every item, the demo's review schema (the synthetic items are reviews; their body may reach 10,000 characters);
 * - `bench-schemaless`: every item, no schema (dynamic mapping);
 * - `bench-products`: the items with `entityType` product, the demo's product schema;
 * - `bench-chaos`: products as above, and `entityType` event to a second, schemaless index.
 */
export const BENCH_SYNCS = ['bench-reviews', 'bench-schemaless', 'bench-products', 'bench-chaos'] as const;
export type BenchSyncName = (typeof BENCH_SYNCS)[number];

/** The variables that name the indexes of the bench's definition, read when `bench-syncs.ts` loads. */
export const BENCH_INDEX_VARIABLES = { index: 'BENCH_INDEX', events: 'BENCH_EVENTS_INDEX' } as const;

/** The indexes a run writes: `index` for every sync, `events` for the second route of `bench-chaos`. */
export interface BenchIndexNames {
  readonly index: string;
  /** @default `${index}-events` */
  readonly events?: string;
}

const products: Omit<RouteDefinition, 'index'> = {
  schema: productSchema,
  match: { attribute: ENTITY_TYPE_ATTRIBUTE, equals: 'product' },
};

function pkSkSync(name: BenchSyncName, routes: readonly RouteDefinition[]): SyncDefinition {
  const [partitionKey, sortKey] = TABLE_KEY_ATTRIBUTES;
  return {
    name,
    table: { create: { partitionKey, sortKey } },
    domain: { create: {} },
    routes,
  };
}

/**
 * The bench's definition on these index names, validated by `defineSyncs` like the workspace's.
 *
 * @example
 * const routing = benchRouting('bench-reviews', { index: uniqueName('bench-tp') });
 */
export function benchSyncs(names: BenchIndexNames): Syncs {
  const { index } = names;
  const events = names.events ?? `${index}-events`;
  return defineSyncs({
    syncs: [
      pkSkSync('bench-reviews', [{ index, schema: reviewSchema, match: { always: true } }]),
      pkSkSync('bench-schemaless', [{ index, match: { always: true } }]),
      pkSkSync('bench-products', [{ index, ...products }]),
      pkSkSync('bench-chaos', [
        { index, ...products },
        { index: events, match: { attribute: ENTITY_TYPE_ATTRIBUTE, equals: 'event' } },
      ]),
    ],
  });
}

/** One sync of the bench's definition on these index names. */
export function benchSync(name: BenchSyncName, names: BenchIndexNames): ResolvedSync {
  return benchSyncs(names).named(name);
}

/** The routing every writer takes from a bench sync (its declared pk/sk keys): routes, document shapes, mappings. */
export function benchRouting(name: BenchSyncName, names: BenchIndexNames): SyncRouting {
  return benchSync(name, names).routingFor(TABLE_KEY_ATTRIBUTES);
}

/**
 * The index names set in `env` for the bench's definition module.
 * @throws BenchError naming the variable when it is not set.
 */
export function benchIndexNamesFrom(env: NodeJS.ProcessEnv): BenchIndexNames {
  const index = env[BENCH_INDEX_VARIABLES.index];
  if (!index)
    throw new BenchError(
      `${BENCH_INDEX_VARIABLES.index} is not set: the bench's indexer (tools/bench/src/bench-indexer.ts) writes to the index it names`,
    );
  const events = env[BENCH_INDEX_VARIABLES.events];
  return { index, ...(events ? { events } : {}) };
}

/** The variables {@link benchIndexNamesFrom} reads. */
export function benchIndexVariables(names: BenchIndexNames): Record<string, string> {
  return {
    [BENCH_INDEX_VARIABLES.index]: names.index,
    ...(names.events !== undefined && { [BENCH_INDEX_VARIABLES.events]: names.events }),
  };
}
