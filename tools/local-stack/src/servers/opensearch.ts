import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, HEALTH_TIMEOUT_MS, OPENSEARCH_SYSTEM_USER, VERSIONS } from '../constants';
import { bindAddress } from '../config';
import { OpenSearchSetupError } from '../errors';
import { portOpen } from '../processes';
import { renameIntoPlace, requireJava, requireTool, runFetchStep } from '../tools';
import type { Endpoint, LaunchSpec, LogFn, ProbeResult, ServerDefinition, StackPaths } from '../types';
import { prepareSystemUserDir } from './opensearch-as-root';
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

  async prepareLaunch(paths: StackPaths, endpoint: Endpoint, log: LogFn): Promise<LaunchSpec> {
    const { javaHome } = requireJava('OpenSearch', ENV_VAR);
    const env = { OPENSEARCH_JAVA_HOME: javaHome, OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx1g' };
    if (paths.systemUserDir === undefined) {
      const home = homeDir(paths);
      mkdirSync(dataDir(paths), { recursive: true });
      return { command: join(home, 'bin', 'opensearch'), args: openSearchSettings(endpoint, dataDir(paths)), cwd: home, env };
    }
    const runuser = requireTool('runuser', 'OpenSearch as a non-root user', ENV_VAR);
    const layout = await prepareSystemUserDir({
      dir: paths.systemUserDir,
      cachedHome: homeDir(paths),
      legacyData: dataDir(paths),
      workspaceRoot: paths.workspaceRoot,
      javaHome,
      runuser,
      log,
    });
    return {
      command: runuser,
      args: ['-u', OPENSEARCH_SYSTEM_USER, '--', join(layout.home, 'bin', 'opensearch'), ...openSearchSettings(endpoint, layout.data)],
      cwd: layout.home,
      env: { ...env, OPENSEARCH_TMPDIR: layout.tmp },
    };
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
