import { DEMO_INDEX_NAMES, ENTITY_TYPE_ATTRIBUTE, productSchema, reviewSchema } from '@ddb-os/schemas';
import { defineSyncs, type SyncDefinition } from '@ddb-os/sync-definition';

/** The demo's product catalogue (single-table: products and reviews under `pk`/`sk`); tests choose the index names. */
export function demoSync(indexNames: { readonly products: string; readonly reviews: string } = DEMO_INDEX_NAMES): SyncDefinition {
  return {
    name: 'demo',
    table: { create: { partitionKey: 'pk', sortKey: 'sk', removal: 'destroy' } },
    domain: { create: { instanceType: 't3.small.search', dataNodes: 1, volumeGiB: 10, removal: 'destroy' } },
    routes: [
      { index: indexNames.products, schema: productSchema, match: { attribute: ENTITY_TYPE_ATTRIBUTE, equals: 'product' } },
      { index: indexNames.reviews, schema: reviewSchema, match: { attribute: ENTITY_TYPE_ATTRIBUTE, equals: 'review' } },
    ],
  };
}

/**
 * The syncs of this workspace: what `nx run infra:deploy` deploys, what the Lambdas compile in, and what
 * `ddb-os <command> --sync <name>` operates on. Make it yours: replace the demo with your table (see
 * docs/your-own-table.md), or add your sync beside it.
 */
export const syncs = defineSyncs({
  syncs: [demoSync()],
});
