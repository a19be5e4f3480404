import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BackendUnavailableError, InvalidRequestError, ItemNotFoundError } from '../errors';
import { describeError, type Logger } from '../logger';

/**
 * Maps errors to responses: 400 with the issues, 404 for a missing item, 503 naming the unreachable backend,
 * and 500 with the request id for anything else. Clients never see a stack trace; the log has it.
 */
export function errorResponder(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const requestId = c.get('requestId');
    if (error instanceof InvalidRequestError) {
      return c.json({ error: error.message, issues: error.issues }, 400);
    }
    if (error instanceof ItemNotFoundError) {
      return c.json({ error: error.message, key: error.key }, 404);
    }
    if (error instanceof BackendUnavailableError) {
      logger.warn('backend unavailable', {
        requestId,
        backend: error.backend,
        cause: error.reason,
        method: c.req.method,
        path: c.req.path,
      });
      return c.json({ error: error.message, backend: error.backend, cause: error.reason }, 503);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json({ error: error.message || 'bad request' }, error.status);
    }
    logger.error('unhandled error', { requestId, method: c.req.method, path: c.req.path, ...describeError(error) });
    return c.json({ error: 'internal error', requestId }, 500);
  };
}
