import { Hono, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from './logger';
import { errorResponder } from './routes/errors';
import { failureRoutes } from './routes/failures';
import { itemRoutes } from './routes/items';
import { pageRoutes } from './routes/page';
import { searchRoutes } from './routes/search';
import { syncStatusRoutes } from './routes/sync-status';
import type { AppDependencies } from './types';

/**
 * The demo HTTP API and page, wired to the given dependencies (no I/O of its own, so tests can pass fakes).
 *
 * @example
 * const app = createApp({ items, search, syncStatus, logger: jsonLogger('demo-api'), page: loadDemoPage() });
 * serve({ fetch: app.fetch, port: 3000 });
 */
export function createApp(deps: AppDependencies): Hono {
  const app = new Hono();
  app.use(requestId());
  app.use(accessLog(deps.logger));
  if (deps.page !== undefined) app.route('/', pageRoutes(deps.page));
  app.route('/items', itemRoutes(deps));
  app.route('/search', searchRoutes(deps));
  app.route('/sync', syncStatusRoutes(deps));
  if (deps.failures !== undefined) app.route('/api/failures', failureRoutes(deps.failures));
  app.notFound((c) => c.json({ error: 'no such route', method: c.req.method, path: c.req.path }, 404));
  app.onError(errorResponder(deps.logger));
  return app;
}

/** One JSON log line per request (status polling is frequent, so it is logged only when it fails). */
function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    if ((c.req.path === '/sync/status' || (c.req.path === '/api/failures' && c.req.method === 'GET')) && c.res.status < 400) return;
    logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
    });
  };
}
