import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { MissingBundleError } from './errors';

/** The nearest directory at or above `start` holding `nx.json`; `start` itself when there is none. */
export function findWorkspaceRoot(start: string = process.cwd()): string {
  let directory = resolve(start);
  while (!existsSync(join(directory, 'nx.json'))) {
    const parent = dirname(directory);
    if (parent === directory) return resolve(start);
    directory = parent;
  }
  return directory;
}

/**
 * Resolves a bundle directory (relative paths from the workspace root) and checks it holds `index.js`,
 * so a missing build fails at synth with the command that fixes it rather than at deploy.
 */
export function resolveBundleDirectory(prop: string, path: string, buildTarget: string): string {
  const directory = isAbsolute(path) ? path : join(findWorkspaceRoot(), path);
  if (!existsSync(join(directory, 'index.js'))) throw new MissingBundleError(prop, directory, buildTarget);
  return directory;
}
