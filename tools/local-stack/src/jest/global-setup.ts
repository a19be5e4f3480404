import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { ServerName } from '../types';

/**
 * Servers this Jest process started, read back by global-teardown (same process, separate module load).
 * With several projects in one run, each project's setup adds to it; the first teardown stops them all,
 * which is safe because Jest runs the teardowns after every project's tests.
 */
export const STARTED_KEY = Symbol.for('ddb-os.local-stack.started-by-jest');

export type GlobalWithStarted = typeof globalThis & { [STARTED_KEY]?: ServerName[] };

/**
 * Jest globalSetup: brings the local stack up for projects with integration tests (`*.int.spec.ts`),
 * exports the endpoints as environment variables for the test workers, and prints the server versions.
 * A no-op for `TEST_SCOPE=unit` and for projects without integration tests.
 */
export default async function globalSetup(_globalConfig: unknown, projectConfig?: { rootDir?: string }): Promise<void> {
  if (process.env['TEST_SCOPE'] === 'unit') return;
  const rootDir = projectConfig?.rootDir ?? process.cwd();
  if (!hasIntegrationTests(rootDir)) return;
  const started = await loadStackSession().startForJest(rootDir);
  const holder = globalThis as GlobalWithStarted;
  holder[STARTED_KEY] = [...(holder[STARTED_KEY] ?? []), ...started];
}

/** True when the directory tree (without node_modules and dot-directories) holds a `*.int.spec.ts` file. */
export function hasIntegrationTests(dir: string): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((entry) => {
    if (entry.isFile()) return entry.name.endsWith('.int.spec.ts');
    return (
      entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && hasIntegrationTests(join(dir, entry.name))
    );
  });
}

/**
 * Loads the stack code (and with it the AWS SDK) only for projects that need it. `require` rather than `import()`:
 * under `module: Node16` a dynamic import needs a `.js` path, which Jest's TypeScript hook cannot resolve.
 */
export function loadStackSession(): typeof import('./stack-session') {
  return require('./stack-session') as typeof import('./stack-session');
}
