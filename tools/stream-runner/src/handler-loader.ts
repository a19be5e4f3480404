import { loadModuleAt } from '@ddb-os/node-io';
import { HandlerLoadError } from './errors';
import type { StreamHandler } from './types';

export interface HandlerSpec {
  readonly modulePath: string;
  readonly exportName: string;
}

/**
 * Parses `path/to/module.ts#exportName` (the export defaults to `handler`, as in Lambda's `file.handler`).
 * @example parseHandlerSpec('apps/indexer/src/main.ts#handler') // { modulePath: 'apps/indexer/src/main.ts', exportName: 'handler' }
 */
export function parseHandlerSpec(spec: string): HandlerSpec {
  const hash = spec.lastIndexOf('#');
  const modulePath = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? 'handler' : spec.slice(hash + 1);
  if (modulePath.trim() === '') throw new HandlerLoadError(spec, 'the module path is empty (expected path/to/module.ts#exportName)');
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) throw new HandlerLoadError(spec, `"${exportName}" is not a valid export name`);
  return { modulePath, exportName };
}

/**
 * Loads a handler from a module resolved against `cwd`, with `require`: under tsx (the CLI runs with
 * `tsx --tsconfig tsconfig.base.json`) TypeScript modules and the workspace path aliases load as they
 * are; under Jest its transform does the same. Nothing of the app is imported statically.
 * @example const handler = loadHandler('apps/indexer/src/main.ts#handler');
 */
export function loadHandler(spec: string, options: { cwd?: string } = {}): StreamHandler {
  const { modulePath, exportName } = parseHandlerSpec(spec);
  const cwd = options.cwd ?? process.cwd();
  const loaded = loadModuleAt(modulePath, cwd);
  if (!loaded.ok) throw new HandlerLoadError(spec, loaded.reason, { cause: loaded.cause });
  const candidate = (loaded.exports as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== 'function') {
    throw new HandlerLoadError(
      spec,
      `export "${exportName}" is ${candidate === undefined ? 'missing' : `a ${typeof candidate}, not a function`}`,
    );
  }
  return candidate as StreamHandler;
}
