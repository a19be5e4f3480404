import { Hono } from 'hono';
import type { AppDependencies } from '../types';

/** `GET /sync/status`: stream lag and throughput, documents indexed, queue depths, last indexed change. */
export function syncStatusRoutes(deps: AppDependencies): Hono {
  return new Hono().get('/status', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await deps.syncStatus.status());
  });
}
