import { ReplayFailedError } from '../../src/backends/replay-cli';
import { BackendUnavailableError } from '../../src/errors';
import { RecordingReplay, anApp, anArchivedFailure, fixedFailureArchive, send } from '../helpers/factories';

describe('failure routes', () => {
  describe('GET /api/failures', () => {
    it('lists the archived failures with their reason, sequence numbers, time and item keys', async () => {
      // given
      const failure = anArchivedFailure();
      const app = anApp({ failures: { archive: fixedFailureArchive([failure]), replay: new RecordingReplay() } });

      // when
      const response = await send(app, 'GET', '/api/failures');

      // then
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ failures: [failure] });
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('answers 503 naming S3 when the archive cannot be read', async () => {
      // given
      const archive = {
        list: async () => Promise.reject(new BackendUnavailableError('s3', 'connect ECONNREFUSED 127.0.0.1:9000')),
        owns: () => true,
      };
      const app = anApp({ failures: { archive, replay: new RecordingReplay() } });

      // when
      const response = await send(app, 'GET', '/api/failures');

      // then
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: 's3 unavailable', backend: 's3', cause: 'connect ECONNREFUSED 127.0.0.1:9000' });
    });

    it('is absent when the server has no failure archive', async () => {
      expect((await send(anApp(), 'GET', '/api/failures')).status).toBe(404);
    });
  });

  describe('POST /api/failures/replay', () => {
    it('replays the archived failure with replay and answers with its report', async () => {
      // given
      const replay = new RecordingReplay();
      const app = anApp({ failures: { archive: fixedFailureArchive(), replay } });
      const key = anArchivedFailure().key;

      // when
      const response = await send(app, 'POST', '/api/failures/replay', { key });

      // then
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ key, status: 'replayed', report: { key, status: 'replayed' } });
      expect(replay.keys).toEqual([key]);
    });

    it('answers 200 with the status when replay could not finish the object, so the page shows why', async () => {
      // given
      const report = { status: 'failed', failures: [{ id: 'x', reason: 'item does not fit the schema' }] };
      const replay = new RecordingReplay(async (key) => ({ key, status: 'failed', report }));
      const app = anApp({ failures: { archive: fixedFailureArchive(), replay } });

      // when
      const response = await send(app, 'POST', '/api/failures/replay', { key: anArchivedFailure().key });

      // then
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'failed', report });
    });

    it.each([
      [
        'a key of another table',
        { key: 'failures/other/2026/03/01/poison/1-1.ndjson' },
        { path: 'key', message: expect.stringMatching(/not an archived failure of this demo table/) },
      ],
      ['no key', {}, { path: 'key', message: expect.stringMatching(/is required/) }],
      ['an empty key', { key: '' }, { path: 'key', message: 'must not be empty' }],
      ['an unknown field', { key: anArchivedFailure().key, force: true }, { path: '(root)', message: expect.stringMatching(/force/) }],
    ])('answers 400 for %s and replays nothing', async (_case, body, issue) => {
      // given
      const replay = new RecordingReplay();
      const app = anApp({ failures: { archive: fixedFailureArchive(), replay } });

      // when
      const response = await send(app, 'POST', '/api/failures/replay', body);

      // then
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid request body', issues: [issue] });
      expect(replay.keys).toEqual([]);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const app = anApp({ failures: { archive: fixedFailureArchive(), replay: new RecordingReplay() } });
      const response = await send(app, 'POST', '/api/failures/replay', '{');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ issues: [{ path: '(body)', message: expect.stringMatching(/not valid JSON/) }] });
    });

    it('answers 502 with the cause when replay itself did not complete', async () => {
      // given
      const replay = new RecordingReplay(async (key) =>
        Promise.reject(new ReplayFailedError(key, 'replay exited with 2 without a report: ARCHIVE_BUCKET: is required')),
      );
      const app = anApp({ failures: { archive: fixedFailureArchive(), replay } });
      const key = anArchivedFailure().key;

      // when
      const response = await send(app, 'POST', '/api/failures/replay', { key });

      // then
      expect(response.status).toBe(502);
      expect(response.body).toEqual({
        error: 'replay failed',
        key,
        cause: 'replay exited with 2 without a report: ARCHIVE_BUCKET: is required',
      });
    });
  });
});
