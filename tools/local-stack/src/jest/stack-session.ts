import { StackUpError } from '../errors';
import { versionsLine } from '../format';
import { releaseLease, takeLease } from '../lock';
import { stackPaths } from '../paths';
import { defaultLog, ensureStackUp, stopStack } from '../stack';
import { ENDPOINT_ENV_VARS } from '../testing-lib';
import type { ServerName } from '../types';

/**
 * Brings the stack up for a Jest run, exports the endpoints for the test workers and prints the versions.
 * Resolves with the servers it started.
 */
export async function startForJest(rootDir: string): Promise<readonly ServerName[]> {
  takeLease(stackPaths());
  const result = await quietlyOnNode20(() =>
    ensureStackUp().catch(async (error: unknown) => {
      // Jest skips globalTeardown when globalSetup fails: stop what this attempt started before giving up.
      if (error instanceof StackUpError && error.started.length > 0) await stopStack({ servers: error.started, respectLeases: true });
      throw error;
    }),
  );
  for (const server of result.servers) process.env[ENDPOINT_ENV_VARS[server.name]] = server.endpoint;
  defaultLog(`stack for ${rootDir}: ${versionsLine(result.servers)}`);
  return result.started;
}

/** Releases this run's lease and stops what it started (unless another run still uses it). */
export async function stopForJest(started: readonly ServerName[]): Promise<void> {
  releaseLease(stackPaths());
  if (started.length > 0) await stopStack({ servers: started, respectLeases: true });
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
