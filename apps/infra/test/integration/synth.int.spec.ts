import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cx_api } from 'aws-cdk-lib';
import { findWorkspaceRoot } from '@ddb-os/cdk-construct';
import { ASSEMBLY_CONFIG_FILE, ASSEMBLY_DIRECTORY } from '../../src/assembly';

// Runs the real Nx targets, offline and without AWS settings, as a new user would.
jest.setTimeout(600_000);

const root = findWorkspaceRoot(__dirname);
const assembly = join(root, ASSEMBLY_DIRECTORY);
const CLEAN_ENVIRONMENT = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_') && !name.startsWith('SYNC_') && !name.startsWith('NX_'),
  ),
);

function nx(target: string, settings: Record<string, string>, args: readonly string[] = []) {
  return spawnSync('npx', ['nx', 'run', `infra:${target}`, '--output-style=static', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: root,
    env: { ...CLEAN_ENVIRONMENT, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', HOME: process.env['HOME'] ?? '/tmp', ...settings },
    encoding: 'utf8',
  });
}

/** The stacks of the assembly on disk, as `name @ environment`, and the settings it records. */
function assemblyOnDisk(): { stacks: string[]; stage: unknown } {
  const stacks = new cx_api.CloudAssembly(assembly).stacksRecursively.map((stack) => `${stack.stackName} @ ${stack.environment.name}`);
  const record = JSON.parse(readFileSync(join(assembly, ASSEMBLY_CONFIG_FILE), 'utf8')) as { stage: unknown };
  return { stacks, stage: record.stage };
}

describe('nx run infra:synth / infra:diff (real Nx, real CDK CLI, no AWS)', () => {
  beforeAll(() => {
    // The bundles are inputs of synth: build them once so each synth below only synthesizes.
    execFileSync(
      'npx',
      ['nx', 'run-many', '-t', 'bundle', '-p', 'indexer', 'failure-handler', 'stream-reader', 'opensearch-writer', '--output-style=static'],
      {
        cwd: root,
        env: { ...CLEAN_ENVIRONMENT, NX_DAEMON: 'false' },
        stdio: 'ignore',
      },
    );
  });

  it('writes the assembly of each run’s own SYNC_STAGE / CDK_DEPLOY_REGION, also when a run is a cache hit', () => {
    // when
    const qa = nx('synth', { SYNC_STAGE: 'qa', CDK_DEPLOY_REGION: 'eu-west-1' });
    const qaAssembly = assemblyOnDisk();
    const prod = nx('synth', { SYNC_STAGE: 'prod', CDK_DEPLOY_REGION: 'us-west-2' });
    const prodAssembly = assemblyOnDisk();
    const qaAgain = nx('synth', { SYNC_STAGE: 'qa', CDK_DEPLOY_REGION: 'eu-west-1' });
    const qaAgainAssembly = assemblyOnDisk();

    // then
    expect([qa.status, prod.status, qaAgain.status]).toEqual([0, 0, 0]);
    expect(qaAssembly).toEqual({ stacks: ['qa-DynamoDbOpenSearchSync @ aws://unknown-account/eu-west-1'], stage: 'qa' });
    expect(prodAssembly).toEqual({ stacks: ['prod-DynamoDbOpenSearchSync @ aws://unknown-account/us-west-2'], stage: 'prod' });
    expect(qaAgainAssembly).toEqual(qaAssembly);
  });

  it("synthesizes the fingerprint of the definition the bundles hold: the indexer bundle starts with the template's and refuses another", () => {
    // given an assembly of the workspace definition, and the indexer environment it deploys
    expect(nx('synth', {}).status).toBe(0);
    const [stack] = new cx_api.CloudAssembly(assembly).stacksRecursively;
    type FunctionResource = { Type: string; Properties: { Environment?: { Variables: Record<string, unknown> } } };
    const functions = Object.values((stack?.template as { Resources: Record<string, FunctionResource> }).Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => resource.Properties.Environment?.Variables ?? {});
    const indexer = functions.find((variables) => variables['OPENSEARCH_NODE'] !== undefined);
    const fingerprint = indexer?.['SYNC_FINGERPRINT'];
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const coldStart = (syncFingerprint: string) =>
      spawnSync(
        process.execPath,
        [
          '--no-warnings',
          '-e',
          "require(process.argv[1]).handler.start().then(() => console.log('started'), (e) => { console.log(e.message); process.exitCode = 3; })",
          join(root, 'dist/apps/indexer/index.js'),
        ],
        {
          env: {
            ...CLEAN_ENVIRONMENT,
            SYNC_NAME: String(indexer?.['SYNC_NAME']),
            SYNC_FINGERPRINT: syncFingerprint,
            AWS_REGION: 'us-east-1',
            OPENSEARCH_NODE: 'http://127.0.0.1:9200',
            OPENSEARCH_AUTH: 'none',
            DLQ_URL: 'http://127.0.0.1:9324/000000000000/unused',
            POWERTOOLS_LOG_LEVEL: 'CRITICAL',
          },
          encoding: 'utf8',
        },
      );

    // when
    const matching = coldStart(String(fingerprint));
    const other = coldStart('0000000000000000');

    // then
    expect(matching.stdout.trim()).toBe('started');
    expect(other.status).toBe(3);
    expect(other.stdout).toContain(
      `SYNC_FINGERPRINT: the deployment was synthesized from another definition of sync "demo" (0000000000000000) than this bundle holds (${String(fingerprint)})`,
    );
  });

  it('diff synthesizes its own -c settings and acts on that assembly, stopping at the missing credentials', () => {
    // given an assembly of other settings on disk
    expect(nx('synth', {}, ['-c', 'stage=prod']).status).toBe(0);

    // when
    const diff = nx('diff', { CDK_DEPLOY_REGION: 'eu-west-1' }, ['-c', 'stage=staging']);

    // then
    expect(assemblyOnDisk()).toEqual({ stacks: ['staging-DynamoDbOpenSearchSync @ aws://unknown-account/eu-west-1'], stage: 'staging' });
    expect(diff.status).not.toBe(0);
    expect(diff.stdout + diff.stderr).toContain(
      'infra:diff: no AWS credentials found, so `cdk diff` cannot reach stack staging-DynamoDbOpenSearchSync',
    );
    expect(diff.stdout + diff.stderr).not.toContain('Unable to resolve AWS account');
  });
});
