import { loadModuleAt } from '@ddb-os/node-io';
import { defineSyncs, type ResolvedSync, type Syncs, type SyncsDefinition } from '@ddb-os/sync-definition';
import { syncs as workspaceSyncs } from '@ddb-os/syncs';
import { DefinitionLoadError } from './errors';

/**
 * The syncs a command reads: the workspace's (`syncs` of `@ddb-os/syncs`, syncs/sync.config.ts), or those a
 * `--definition` module exports as `syncs` — the value of `defineSyncs(...)`, or the `{ syncs: [...] }` it takes.
 *
 * @example
 * const syncs = loadSyncs('ops/other-table.sync.ts', process.cwd());
 */
export function loadSyncs(definitionPath: string | undefined, cwd: string): Syncs {
  if (definitionPath === undefined) return workspaceSyncs;
  const loaded = loadModuleAt(definitionPath, cwd);
  if (!loaded.ok) throw new DefinitionLoadError(definitionPath, loaded.reason, { cause: loaded.cause });
  return syncsOf(definitionPath, (loaded.exports as { syncs?: unknown } | undefined)?.syncs);
}

function syncsOf(definitionPath: string, exported: unknown): Syncs {
  if (isSyncs(exported)) return exported;
  if (typeof exported === 'object' && exported !== null && Array.isArray((exported as SyncsDefinition).syncs))
    return defineSyncs(exported as SyncsDefinition);
  throw new DefinitionLoadError(
    definitionPath,
    `exports no "syncs": export const syncs = defineSyncs({ syncs: [...] }) (found ${exported === undefined ? 'nothing' : typeof exported})`,
  );
}

function isSyncs(value: unknown): value is Syncs {
  const candidate = value as Partial<Syncs> | undefined;
  return typeof candidate?.named === 'function' && typeof candidate.all === 'function' && Array.isArray(candidate.names);
}

/**
 * The sync a command operates on: `--sync`, or the only sync of a definition that has one.
 * @throws InvalidSyncDefinitionError naming the syncs of the definition when the name is missing or unknown.
 */
export function chooseSync(syncs: Syncs, name: string | undefined): ResolvedSync {
  return syncs.named(name ?? (syncs.names.length === 1 ? syncs.names[0] : undefined));
}
