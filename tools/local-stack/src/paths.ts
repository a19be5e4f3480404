import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CACHE_DIR } from './constants';
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

/** Directories of the local stack; creates them. */
export function stackPaths(root: string = workspaceRoot()): StackPaths {
  const cache = join(root, CACHE_DIR);
  const paths: StackPaths = {
    workspaceRoot: root,
    cache,
    run: join(cache, 'run'),
    data: join(cache, 'data'),
    downloads: join(cache, 'downloads'),
  };
  for (const dir of [paths.run, paths.data, paths.downloads]) mkdirSync(dir, { recursive: true });
  return paths;
}

export const pidFile = (paths: StackPaths, name: ServerName): string => join(paths.run, `${name}.pid`);
export const logFile = (paths: StackPaths, name: ServerName): string => join(paths.run, `${name}.log`);
