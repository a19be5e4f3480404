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
  // Loaded only now: projects without integration tests should not pay for loading the AWS SDK.
  const [{ versionsLine }, { takeLease }, { stackPaths }, { StackUpError }, { defaultLog, ensureStackUp, stopStack }, { ENDPOINT_ENV_VARS }] =
    await Promise.all([
      import('../format'),
      import('../lock'),
      import('../paths'),
      import('../errors'),
      import('../stack'),
      import('../testing-lib'),
    ]);
  takeLease(stackPaths());
  const result = await quietlyOnNode20(() =>
    ensureStackUp().catch(async (error: unknown) => {
      // Jest skips globalTeardown when globalSetup fails: stop what this attempt started before giving up.
      if (error instanceof StackUpError && error.started.length > 0) await stopStack({ servers: error.started, respectLeases: true });
      throw error;
    }),
  );
  rememberStarted(result.started);
  for (const server of result.servers) process.env[ENDPOINT_ENV_VARS[server.name]] = server.endpoint;
  defaultLog(`stack for ${rootDir}: ${versionsLine(result.servers)}`);
}

/**
 * The probes' SDK clients would print the SDK's Node-20 deprecation notice into every test run. Silence it for the
 * setup only: the variable is restored before Jest forks the workers, so the tests' own clients are unaffected.
 */
async function quietlyOnNode20<T>(fn: () => Promise<T>): Promise<T> {
  const name = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const before = process.env[name];
  process.env[name] = 'true';
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

function rememberStarted(started: readonly ServerName[]): void {
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
    return entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && hasIntegrationTests(join(dir, entry.name));
  });
}

