import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CACHE_DIR, SYSTEM_USER_BASE_DIR } from './constants';
import type { ServerName, StackPaths } from './types';

/** The Nx workspace root: the nearest directory above this file that holds `nx.json`. */
export function workspaceRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No nx.json found above ${from}: the local stack must run inside the workspace.`);
    dir = parent;
  }
  return dir;
}

/** Directories of the local stack; creates those inside the cache. */
export function stackPaths(root: string = workspaceRoot()): StackPaths {
  const cache = join(root, CACHE_DIR);
  const run = join(cache, 'run');
  const data = join(cache, 'data');
  const downloads = join(cache, 'downloads');
  for (const dir of [run, data, downloads]) mkdirSync(dir, { recursive: true });
  const systemUserDir = process.geteuid?.() === 0 ? systemUserDirFor(realpathSync(cache)) : undefined;
  return { workspaceRoot: root, cache, run, data, downloads, systemUserDir };
}

/**
 * The OpenSearch system user's directory for one workspace cache: named from a hash of the cache's path, so two
 * checkouts on one machine never share one, and the same checkout always finds its own again.
 *
 * @example
 * systemUserDirFor('/root/p/.cache/local-stack'); // '/var/lib/ddb-os-local-stack/<16 hex digits>'
 */
export function systemUserDirFor(cache: string, base: string = SYSTEM_USER_BASE_DIR): string {
  return join(base, createHash('sha256').update(cache).digest('hex').slice(0, 16));
}

/** Directories whose paths appear in the command lines of the servers this workspace starts. */
export function ownedDirs(paths: StackPaths): string[] {
  return paths.systemUserDir === undefined ? [paths.cache] : [paths.cache, paths.systemUserDir];
}

export const pidFile = (paths: StackPaths, name: ServerName): string => join(paths.run, `${name}.pid`);
export const logFile = (paths: StackPaths, name: ServerName): string => join(paths.run, `${name}.log`);
