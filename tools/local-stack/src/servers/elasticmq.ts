import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEALTH_TIMEOUT_MS, VERSIONS } from '../constants';
import { bindAddress } from '../config';
import { sqsClient, stackEndpoints } from '../testing-lib';
import { renameIntoPlace, requireJava, requireTool, runFetchStep } from '../tools';
import type { Endpoint, LaunchSpec, LogFn, ServerDefinition, StackPaths } from '../types';
import { probeAwsApi, probeClientConfig } from './probes';

const POM = join(__dirname, '..', '..', 'maven', 'elasticmq', 'pom.xml');
const libDir = (paths: StackPaths): string => join(paths.cache, 'elasticmq', VERSIONS.elasticmq, 'lib');
const configFile = (paths: StackPaths): string => join(paths.run, 'elasticmq.conf');

/** Account id in the queue URLs ElasticMQ hands out. */
export const ELASTICMQ_ACCOUNT_ID = '000000000000';

/** SQS: ElasticMQ from Maven Central (with its dependencies, via maven/elasticmq/pom.xml). */
export const elasticMqServer: ServerDefinition = {
  name: 'sqs',
  title: 'SQS',
  software: 'ElasticMQ',
  version: VERSIONS.elasticmq,
  healthTimeoutMs: HEALTH_TIMEOUT_MS.sqs,

  isInstalled: (paths) => existsSync(libDir(paths)),

  async install(paths: StackPaths, log: LogFn): Promise<void> {
    const mvn = requireTool('mvn', 'ElasticMQ (SQS)', 'SQS_ENDPOINT');
    const staging = join(paths.downloads, `elasticmq-${VERSIONS.elasticmq}`);
    rmSync(staging, { recursive: true, force: true });
    log(`fetching org.elasticmq:elasticmq-server_2.13:${VERSIONS.elasticmq} and its dependencies from Maven Central`);
    await runFetchStep(
      'ElasticMQ',
      mvn,
      [
        '-B',
        '-q',
        '-Dstyle.color=never',
        '-f',
        POM,
        `-Delasticmq.version=${VERSIONS.elasticmq}`,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${staging}`,
      ],
      paths.cache,
    );
    renameIntoPlace(staging, libDir(paths));
  },

  async prepareLaunch(paths: StackPaths, endpoint: Endpoint): Promise<LaunchSpec> {
    const { java } = requireJava('ElasticMQ (SQS)', 'SQS_ENDPOINT');
    writeFileSync(configFile(paths), elasticMqConfig(endpoint, stackEndpoints().region));
    return {
      command: java,
      args: [
        '-Xms64m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        `-Dconfig.file=${configFile(paths)}`,
        '-cp',
        join(libDir(paths), '*'),
        'org.elasticmq.server.Main',
      ],
      cwd: paths.run,
      env: {},
    };
  },

  probe(endpoint: Endpoint) {
    return probeAwsApi(endpoint, async () => {
      const client = sqsClient(probeClientConfig(endpoint));
      try {
        await client.send(new ListQueuesCommand({ MaxResults: 1 }));
      } finally {
        client.destroy();
      }
    });
  },
};

/** ElasticMQ configuration (HOCON): REST SQS API on the endpoint's port, queue URLs with the endpoint's host. */
export function elasticMqConfig(endpoint: Endpoint, region: string): string {
  return [
    'include classpath("application.conf")',
    `node-address { protocol = http, host = "${endpoint.host}", port = ${endpoint.port}, context-path = "" }`,
    `rest-sqs { enabled = true, bind-port = ${endpoint.port}, bind-hostname = "${bindAddress(endpoint)}", sqs-limits = strict }`,
    'rest-stats { enabled = false }',
    'generate-node-address = false',
    `aws { region = "${region}", accountId = "${ELASTICMQ_ACCOUNT_ID}" }`,
    '',
  ].join('\n');
}
