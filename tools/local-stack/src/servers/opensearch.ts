import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, HEALTH_TIMEOUT_MS, OPENSEARCH_SYSTEM_USER, VERSIONS } from '../constants';
import { bindAddress } from '../config';
import { CacheNotReadableError, HostSetupError, OpenSearchSetupError } from '../errors';
import { portOpen } from '../processes';
import { findOnPath, renameIntoPlace, requireJava, requireTool, runFetchStep } from '../tools';
import type { Endpoint, LaunchSpec, LogFn, ProbeResult, ServerDefinition, StackPaths } from '../types';
import { describe, getJson } from './probes';

const ENV_VAR = 'OPENSEARCH_NODE';
const homeDir = (paths: StackPaths): string => join(paths.cache, 'opensearch', `opensearch-${VERSIONS.opensearch}`);
const dataDir = (paths: StackPaths): string => join(paths.data, 'opensearch');

/** OpenSearch 2.x: the integ-test-zip distribution (no plugins) from Maven Central, single node, no security. */
export const openSearchServer: ServerDefinition = {
  name: 'opensearch',
  title: 'OpenSearch',
  software: 'OpenSearch',
  version: VERSIONS.opensearch,
  healthTimeoutMs: HEALTH_TIMEOUT_MS.opensearch,

  isInstalled: (paths) => existsSync(join(homeDir(paths), 'bin', 'opensearch')),

  async install(paths: StackPaths, log: LogFn): Promise<void> {
    const mvn = requireTool('mvn', 'OpenSearch', ENV_VAR);
    const unzip = requireTool('unzip', 'OpenSearch', ENV_VAR);
    const staging = join(paths.downloads, `opensearch-${VERSIONS.opensearch}`);
    rmSync(staging, { recursive: true, force: true });
    log(`fetching ${ARTIFACTS.opensearch} from Maven Central`);
    await runFetchStep(
      'OpenSearch',
      mvn,
      ['-B', '-q', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=${ARTIFACTS.opensearch}`, `-DoutputDirectory=${staging}`],
      paths.cache,
    );
    const zip = join(staging, `opensearch-${VERSIONS.opensearch}.zip`);
    await runFetchStep('OpenSearch', unzip, ['-q', zip, '-d', staging], paths.cache);
    renameIntoPlace(join(staging, `opensearch-${VERSIONS.opensearch}`), homeDir(paths));
    rmSync(staging, { recursive: true, force: true });
  },

  async prepareLaunch(paths: StackPaths, endpoint: Endpoint): Promise<LaunchSpec> {
    const { javaHome } = requireJava('OpenSearch', ENV_VAR);
    const home = homeDir(paths);
    mkdirSync(dataDir(paths), { recursive: true });
    const opensearch = join(home, 'bin', 'opensearch');
    const settings = openSearchSettings(endpoint, dataDir(paths));
    const env = { OPENSEARCH_JAVA_HOME: javaHome, OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx1g' };
    if (process.geteuid?.() !== 0) return { command: opensearch, args: settings, cwd: home, env };
    const runuser = requireTool('runuser', 'OpenSearch as a non-root user', ENV_VAR);
    ensureSystemUser();
    handOver([home, dataDir(paths)]);
    assertUserCanRead(runuser, opensearch);
    return { command: runuser, args: ['-u', OPENSEARCH_SYSTEM_USER, '--', opensearch, ...settings], cwd: home, env };
  },

  probe: probeOpenSearch,
  afterStart: defaultToNoReplicas,
};

/**
 * One node cannot hold replicas, so new indexes would stay yellow. OpenSearch reads
 * `cluster.default_number_of_replicas` from the cluster state only (a `-E` flag is ignored), hence the API call;
 * being persistent, it stays in the data directory.
 */
export async function defaultToNoReplicas(endpoint: Endpoint): Promise<void> {
  const response = await fetch(`${endpoint.url}/_cluster/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persistent: { 'cluster.default_number_of_replicas': 0 } }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new OpenSearchSetupError('cluster.default_number_of_replicas=0', response.status, await response.text());
}

/** `-E` settings: single node on loopback, no disk watermarks (a full-ish disk must not make indexes read-only). */
export function openSearchSettings(endpoint: Endpoint, data: string): string[] {
  return [
    '-Ediscovery.type=single-node',
    `-Enetwork.host=${bindAddress(endpoint)}`,
    `-Ehttp.port=${endpoint.port}`,
    '-Ecluster.name=ddb-os-local',
    '-Enode.name=local-stack',
    `-Epath.data=${data}`,
    '-Ecluster.routing.allocation.disk.threshold_enabled=false',
  ];
}

/** Healthy = answers as OpenSearch with cluster health yellow or green. */
export async function probeOpenSearch(endpoint: Endpoint): Promise<ProbeResult> {
  if (!(await portOpen(endpoint.host, endpoint.port))) return { state: 'closed' };
  try {
    const root = await getJson(`${endpoint.url}/`);
    const version = openSearchVersion(root.body);
    if (version === undefined) {
      return root.status === 503
        ? { state: 'not-ready', detail: 'HTTP 503' }
        : { state: 'foreign', detail: `GET / answered HTTP ${root.status} without an OpenSearch version` };
    }
    const health = await getJson(`${endpoint.url}/_cluster/health`);
    const status = (health.body as { status?: unknown } | undefined)?.status;
    return status === 'green' || status === 'yellow'
      ? { state: 'healthy', version }
      : { state: 'not-ready', detail: `cluster health ${String(status ?? health.status)}` };
  } catch (error) {
    return { state: 'not-ready', detail: describe(error) };
  }
}

/** The version from OpenSearch's `GET /` answer, or undefined when it is not OpenSearch. */
export function openSearchVersion(body: unknown): string | undefined {
  const version = (body as { version?: { distribution?: unknown; number?: unknown } } | undefined)?.version;
  return version?.distribution === 'opensearch' && typeof version.number === 'string' ? version.number : undefined;
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

/** Gives the OpenSearch directories to the system user (skipped when already done). */
function handOver(dirs: readonly string[]): void {
  const uid = Number(spawnSync('id', ['-u', OPENSEARCH_SYSTEM_USER], { encoding: 'utf8' }).stdout.trim());
  for (const dir of dirs) {
    if (statSync(dir).uid === uid) continue;
    const result = spawnSync('chown', ['-R', `${OPENSEARCH_SYSTEM_USER}:`, dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new HostSetupError(`chown -R ${OPENSEARCH_SYSTEM_USER}: ${dir}`, result.stderr);
  }
}

function assertUserCanRead(runuser: string, opensearch: string): void {
  const result = spawnSync(runuser, ['-u', OPENSEARCH_SYSTEM_USER, '--', 'test', '-x', opensearch]);
  if (result.status !== 0) throw new CacheNotReadableError(OPENSEARCH_SYSTEM_USER, opensearch);
}
