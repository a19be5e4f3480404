import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';

/** Path of the demo page (plain HTML + vanilla JS, served as is: no build step). */
export const DEMO_PAGE_PATH = path.join(__dirname, '..', 'public', 'index.html');

/**
 * Reads the demo page from `src/public/index.html`.
 *
 * @example
 * const app = createApp({ ...deps, page: loadDemoPage() });
 */
export function loadDemoPage(file: string = DEMO_PAGE_PATH): string {
  return readFileSync(file, 'utf8');
}

/** `GET /`: the demo page. */
export function pageRoutes(page: string): Hono {
  return new Hono().get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(page);
  });
}
