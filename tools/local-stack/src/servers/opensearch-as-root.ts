import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OPENSEARCH_SYSTEM_USER, VERSIONS } from '../constants';
import { HostSetupError, SystemUserCannotRunError } from '../errors';
import { findOnPath, moveDirectory, renameIntoPlace, requireTool } from '../tools';
import type { LogFn } from '../types';

const ENV_VAR = 'OPENSEARCH_NODE';

/** What OpenSearch uses, as root, in the system user's directory of one workspace. */
export interface SystemUserLayout {
  /** The copy of the distribution OpenSearch runs from (config and logs inside). */
  readonly home: string;
  readonly data: string;
  readonly tmp: string;
}

export interface SystemUserSetup {
  /** The workspace's directory outside the checkout (`StackPaths.systemUserDir`). */
  readonly dir: string;
  /** The unzipped download in the checkout's cache. */
  readonly cachedHome: string;
  /** Where OpenSearch kept its data in the checkout before it moved out (moved over once). */
  readonly legacyData: string;
  readonly workspaceRoot: string;
  readonly javaHome: string;
  readonly runuser: string;
  readonly log: LogFn;
}

export function systemUserLayout(dir: string): SystemUserLayout {
  return { home: join(dir, `opensearch-${VERSIONS.opensearch}`), data: join(dir, 'data'), tmp: join(dir, 'tmp') };
}

/**
 * OpenSearch refuses to run as root, so as root it runs as a system user, which may not be allowed into the checkout
 * (under /root, or a mode-700 temporary directory). Everything it reads and writes therefore lives in a directory of
 * its own outside the checkout, owned by it, mode 700: a copy of the cached distribution, data and tmp.
 */
export async function prepareSystemUserDir(setup: SystemUserSetup): Promise<SystemUserLayout> {
  ensureSystemUser();
  const layout = systemUserLayout(setup.dir);
  // The base holds one directory per workspace; the system user must be able to pass through it.
  mkdirSync(dirname(setup.dir), { recursive: true });
  chmodSync(dirname(setup.dir), 0o755);
  mkdirSync(setup.dir, { recursive: true });
  writeFileSync(join(setup.dir, 'workspace'), `${setup.workspaceRoot}\n`);
  await refreshDistribution(setup.cachedHome, setup.dir, layout.home, setup.log);
  adoptLegacyData(setup.legacyData, layout.data, setup.log);
  for (const dir of [layout.data, layout.tmp]) mkdirSync(dir, { recursive: true });
  handOver([setup.dir, layout.home, layout.data, layout.tmp]);
  chmodSync(setup.dir, 0o700);
  for (const file of [join(layout.home, 'bin', 'opensearch'), join(setup.javaHome, 'bin', 'java')]) assertUserCanRun(setup.runuser, file);
  setup.log(`runs as the system user ${OPENSEARCH_SYSTEM_USER} from ${setup.dir} (distribution copy, config, logs, data)`);
  return layout;
}

/** Copies the cached distribution in when the copy is missing; removes copies of other versions. */
async function refreshDistribution(cachedHome: string, dir: string, home: string, log: LogFn): Promise<void> {
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('opensearch-') && join(dir, entry) !== home) rmSync(join(dir, entry), { recursive: true, force: true });
  }
  if (existsSync(join(home, 'bin', 'opensearch'))) return;
  log(`copying ${cachedHome} to ${home}`);
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  // Logs of runs from the cache (before OpenSearch moved out of the checkout) are not this copy's.
  await cp(cachedHome, staging, { recursive: true, filter: (source) => dirname(source) !== join(cachedHome, 'logs') });
  renameIntoPlace(staging, home);
}

/** Moves data OpenSearch kept in the checkout over once; never merges two data directories. */
function adoptLegacyData(legacy: string, data: string, log: LogFn): void {
  if (!existsSync(legacy)) return;
  if (existsSync(data)) {
    log(`warning: ${legacy} is no longer used (OpenSearch keeps its data in ${data}); delete it after checking you do not need it`);
    return;
  }
  log(`moving the OpenSearch data from ${legacy} to ${data}`);
  moveDirectory(legacy, data);
}

function ensureSystemUser(): void {
  if (spawnSync('id', ['-u', OPENSEARCH_SYSTEM_USER]).status === 0) return;
  const useradd = requireTool('useradd', 'the OpenSearch system user', ENV_VAR);
  const shell = findOnPath('nologin', '/usr/sbin:/sbin:/usr/bin:/bin') ?? '/bin/false';
  const args = ['--system', '--user-group', '--no-create-home', '--shell', shell, OPENSEARCH_SYSTEM_USER];
  const result = spawnSync(useradd, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new HostSetupError(`${useradd} ${args.join(' ')}`, result.stderr);
  }
}

/** Gives directories to the system user (skipped for those it already owns). */
function handOver(dirs: readonly string[]): void {
  const uid = Number(spawnSync('id', ['-u', OPENSEARCH_SYSTEM_USER], { encoding: 'utf8' }).stdout.trim());
  for (const dir of dirs) {
    if (statSync(dir).uid === uid) continue;
    const result = spawnSync('chown', ['-R', `${OPENSEARCH_SYSTEM_USER}:`, dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new HostSetupError(`chown -R ${OPENSEARCH_SYSTEM_USER}: ${dir}`, result.stderr);
  }
}

function assertUserCanRun(runuser: string, file: string): void {
  const result = spawnSync(runuser, ['-u', OPENSEARCH_SYSTEM_USER, '--', 'test', '-x', file]);
  if (result.status !== 0) throw new SystemUserCannotRunError(OPENSEARCH_SYSTEM_USER, file);
}
