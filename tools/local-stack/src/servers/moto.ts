import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEALTH_TIMEOUT_MS, VERSIONS } from '../constants';
import { bindAddress } from '../config';
import { dynamoClient } from '../testing-lib';
import { requireTool, runFetchStep } from '../tools';
import type { Endpoint, LaunchSpec, LogFn, ServerDefinition, StackPaths } from '../types';
import { probeAwsApi, probeClientConfig } from './probes';

const venvDir = (paths: StackPaths): string => join(paths.cache, 'moto-venv');
const installedMarker = (paths: StackPaths): string => join(venvDir(paths), `.installed-moto-${VERSIONS.moto}`);

/** DynamoDB and DynamoDB Streams (one port): moto server from PyPI, in a venv under the cache. */
export const motoServer: ServerDefinition = {
  name: 'dynamodb',
  title: 'DynamoDB + Streams',
  software: 'moto server',
  version: VERSIONS.moto,
  healthTimeoutMs: HEALTH_TIMEOUT_MS.dynamodb,

  isInstalled: (paths) => existsSync(installedMarker(paths)),

  async install(paths: StackPaths, log: LogFn): Promise<void> {
    const python = requireTool('python3', 'moto server (DynamoDB)', 'DYNAMODB_ENDPOINT');
    const venv = venvDir(paths);
    rmSync(venv, { recursive: true, force: true });
    log(`fetching moto[server]==${VERSIONS.moto} from PyPI into ${venv}`);
    await runFetchStep('moto server', python, ['-m', 'venv', venv], paths.cache);
    await runFetchStep(
      'moto server',
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `moto[server]==${VERSIONS.moto}`],
      paths.cache,
    );
    writeFileSync(installedMarker(paths), `${new Date().toISOString()}\n`);
  },

  async prepareLaunch(paths: StackPaths, endpoint: Endpoint): Promise<LaunchSpec> {
    return {
      command: join(venvDir(paths), 'bin', 'moto_server'),
      args: ['-H', bindAddress(endpoint), '-p', String(endpoint.port)],
      cwd: paths.run,
      env: {},
    };
  },

  probe(endpoint: Endpoint) {
    return probeAwsApi(endpoint, async () => {
      const client = dynamoClient(probeClientConfig(endpoint));
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
      } finally {
        client.destroy();
      }
    });
  },
};
