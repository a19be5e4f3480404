import { existsSync } from 'node:fs';
import path from 'node:path';

/** A module's exports, or why it could not be loaded. */
export type LoadedModule =
  { readonly ok: true; readonly exports: unknown } | { readonly ok: false; readonly reason: string; readonly cause?: unknown };

/**
 * Loads a module the user names at run time (a handler, a sync definition), relative to `cwd`: only `require` can
 * load such a path (under tsx, TypeScript modules load as they are). Answers instead of throwing.
 *
 * @example
 * const loaded = loadModuleAt('apps/indexer/src/main.ts', process.cwd());
 * if (loaded.ok) console.log(Object.keys(loaded.exports as object));
 */
export function loadModuleAt(modulePath: string, cwd: string): LoadedModule {
  const absolute = path.resolve(cwd, modulePath);
  if (!existsSync(absolute)) return { ok: false, reason: `${absolute} does not exist` };
  try {
    return { ok: true, exports: require(absolute) as unknown };
  } catch (error) {
    return { ok: false, reason: `the module failed to load: ${(error as Error).message}`, cause: error };
  }
}
