import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** A listening HTTP server. */
export interface RunningServer {
  /** `http://host:port` it listens on (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `app` on `host:port` (port 0: an ephemeral port) and resolves once it listens.
 *
 * @example
 * const server = await listen(createApp(deps), { host: '127.0.0.1', port: 0 });
 * await fetch(`${server.url}/search?q=lamp`);
 */
export function listen(app: Hono, options: { readonly host: string; readonly port: number }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive connections (the page's polling) would hold `close` open.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
