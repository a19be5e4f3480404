import { countDocuments } from './index-reads';
import type { IndexCount } from './types';
import { forEachPage, indexesOf, routeOf, routingProjection, segmentsOf, type Run } from './verify-run';

/** Phase 1: routed table items per index (a Scan of keys and routing attributes) vs the read alias `_count`. */
export async function countPhase(run: Run): Promise<IndexCount[]> {
  const routed = new Map<string, number>(indexesOf(run.dependencies.target.routes).map((index) => [index, 0]));
  await forEachPage(run, 'counts', segmentsOf(run, routingProjection(run)), async (items) => {
    for (const raw of items) {
      const route = routeOf(raw, run.dependencies.target.routes);
      if (route !== undefined) routed.set(route.index, (routed.get(route.index) ?? 0) + 1);
    }
  });
  const counts: IndexCount[] = [];
  for (const [index, tableItems] of routed)
    counts.push({ index, tableItems, documents: await countDocuments(run.dependencies.openSearch, index) });
  return counts;
}
