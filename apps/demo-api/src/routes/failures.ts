import { Hono } from 'hono';
import { z } from 'zod';
import { ReplayFailedError } from '../backends/replay-cli';
import { InvalidRequestError } from '../errors';
import type { FailureArchiveService, ReplayService } from '../types';
import { jsonBody, parseOrThrow } from './validation';

const replayRequestSchema = z.strictObject({
  key: z
    .string({ error: 'is required: the key of an archived failure (from GET /api/failures)' })
    .min(1, 'must not be empty')
    .max(1024, 'is longer than an S3 key'),
});

/**
 * `GET /failures`: the demo table's archived failures (reason, sequence numbers, item keys);
 * `POST /failures/replay` `{ "key": "…" }`: replays one of them with `tools/replay` and answers with its report.
 */
export function failureRoutes(failures: { readonly archive: FailureArchiveService; readonly replay: ReplayService }): Hono {
  return new Hono()
    .get('/', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ failures: await failures.archive.list() });
    })
    .post('/replay', async (c) => {
      const { key } = parseOrThrow('body', replayRequestSchema, await jsonBody(c));
      if (!failures.archive.owns(key)) {
        throw new InvalidRequestError('body', [
          { path: 'key', message: 'is not an archived failure of this demo table (see GET /api/failures)' },
        ]);
      }
      try {
        return c.json(await failures.replay.replay(key));
      } catch (error) {
        if (error instanceof ReplayFailedError) return c.json({ error: 'replay failed', key, cause: error.problem }, 502);
        throw error;
      }
    });
}
