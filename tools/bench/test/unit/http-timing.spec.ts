import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { busyTime, recordHttp } from '../../src/http-timing';

describe('busyTime', () => {
  it('counts overlapping intervals once', () => {
    expect(
      busyTime([
        { start: 0, end: 10 },
        { start: 5, end: 20 },
        { start: 30, end: 31 },
      ]),
    ).toBe(21);
  });

  it('handles nested, unordered and no intervals', () => {
    expect(
      busyTime([
        { start: 50, end: 60 },
        { start: 0, end: 100 },
      ]),
    ).toBe(100);
    expect(busyTime([])).toBe(0);
  });
});

describe('recordHttp', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((incoming, response) => setTimeout(() => response.end('{}'), 20));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, path, method: 'POST' }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });

  it('records each request to the host, by kind, with its duration', async () => {
    // given a recorder for the test server
    const recorder = recordHttp(`127.0.0.1:${port}`);
    try {
      // when a bulk and an mget request are made
      await get('/_mget');
      await get('/_bulk');
      await new Promise((resolve) => setImmediate(resolve));
      const recording = recorder.take();
      // then both are recorded, each lasting at least the server's delay
      expect(recording.requests).toEqual({ bulk: 1, mget: 1, other: 0 });
      expect(recording.intervals).toHaveLength(2);
      expect(busyTime(recording.intervals)).toBeGreaterThanOrEqual(35);
      // and take() starts over
      expect(recorder.take().intervals).toHaveLength(0);
    } finally {
      recorder.stop();
    }
  });

  it('ignores requests to other hosts', async () => {
    const recorder = recordHttp('127.0.0.1:1');
    try {
      await get('/_bulk');
      await new Promise((resolve) => setImmediate(resolve));
      expect(recorder.take().intervals).toHaveLength(0);
    } finally {
      recorder.stop();
    }
  });
});
