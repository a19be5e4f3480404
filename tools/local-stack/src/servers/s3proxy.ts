import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, HEALTH_TIMEOUT_MS, VERSIONS } from '../constants';
import { bindAddress } from '../config';
import { s3Client, stackEndpoints } from '../testing-lib';
import { renameIntoPlace, requireJava, requireTool, runFetchStep } from '../tools';
import type { Endpoint, LaunchSpec, LogFn, ServerDefinition, StackPaths } from '../types';
import { probeAwsApi, probeClientConfig } from './probes';

const installDir = (paths: StackPaths): string => join(paths.cache, 's3proxy', VERSIONS.s3proxy);
const jarFile = (paths: StackPaths): string => join(installDir(paths), `s3proxy-${VERSIONS.s3proxy}-jar-with-dependencies.jar`);
const propertiesFile = (paths: StackPaths): string => join(paths.run, 's3proxy.properties');

/**
 * S3: S3Proxy from Maven Central (its self-contained jar-with-dependencies) with the jclouds filesystem backend
 * under the cache. Checks AWS signatures (v2 or v4) against the stack credentials (`local`/`local` by default).
 */
export const s3ProxyServer: ServerDefinition = {
  name: 's3',
  title: 'S3',
  software: 'S3Proxy',
  version: VERSIONS.s3proxy,
  healthTimeoutMs: HEALTH_TIMEOUT_MS.s3,

  isInstalled: (paths) => existsSync(jarFile(paths)),

  async install(paths: StackPaths, log: LogFn): Promise<void> {
    const mvn = requireTool('mvn', 'S3Proxy (S3)', 'S3_ENDPOINT');
    const staging = join(paths.downloads, `s3proxy-${VERSIONS.s3proxy}`);
    rmSync(staging, { recursive: true, force: true });
    log(`fetching ${ARTIFACTS.s3proxy} from Maven Central`);
    await runFetchStep(
      'S3Proxy',
      mvn,
      ['-B', '-q', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=${ARTIFACTS.s3proxy}`, `-DoutputDirectory=${staging}`],
      paths.cache,
    );
    renameIntoPlace(staging, installDir(paths));
  },

  async prepareLaunch(paths: StackPaths, endpoint: Endpoint): Promise<LaunchSpec> {
    const { java } = requireJava('S3Proxy (S3)', 'S3_ENDPOINT');
    const dataDir = join(paths.data, 's3');
    mkdirSync(dataDir, { recursive: true });
    const { credentials } = stackEndpoints();
    writeFileSync(propertiesFile(paths), s3ProxyProperties(endpoint, dataDir, credentials));
    return {
      command: java,
      args: [
        '-Xms64m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-jar',
        jarFile(paths),
        '--properties',
        propertiesFile(paths),
      ],
      cwd: paths.run,
      env: {},
    };
  },

  probe(endpoint: Endpoint) {
    return probeAwsApi(endpoint, async () => {
      const client = s3Client(probeClientConfig(endpoint));
      try {
        await client.send(new ListBucketsCommand({}));
      } finally {
        client.destroy();
      }
    });
  },
};

/** S3Proxy configuration (Java properties). */
export function s3ProxyProperties(
  endpoint: Endpoint,
  dataDir: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): string {
  return [
    `s3proxy.endpoint=http://${bindAddress(endpoint)}:${endpoint.port}`,
    's3proxy.authorization=aws-v2-or-v4',
    `s3proxy.identity=${credentials.accessKeyId}`,
    `s3proxy.credential=${credentials.secretAccessKey}`,
    's3proxy.cors-allow-all=true',
    'jclouds.provider=filesystem',
    `jclouds.filesystem.basedir=${dataDir}`,
    '',
  ].join('\n');
}
