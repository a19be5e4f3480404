import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInfraApp } from '../../src/app';
import { ASSEMBLY_CONFIG_FILE, ASSEMBLY_DIRECTORY, checkAssembly, recordAssemblyConfig } from '../../src/assembly';
import { planCdkCommand, contextArguments, type CdkCommandRequest } from '../../src/cdk-command';
import { resolveInfraConfig } from '../../src/config';
import type { CredentialEnvironment } from '../../src/credentials';
import { cdkJsonContext, fixtureCodePaths } from '../helpers/factories';

/** A workspace holding the assembly `main.ts` writes for these settings (as `infra:synth` does). */
function workspaceWithAssembly(variables: Record<string, string>, context: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'infra-workspace-'));
  const outdir = join(root, ASSEMBLY_DIRECTORY);
  mkdirSync(outdir, { recursive: true });
  const { app, config } = createInfraApp({ outdir, context: { ...cdkJsonContext(), ...context } }, variables);
  recordAssemblyConfig(app.synth().directory, config);
  return root;
}

const withCredentials: CredentialEnvironment = { variables: { AWS_PROFILE: 'ops' }, cdkArgs: [], profiles: ['ops'] };
const withoutCredentials: CredentialEnvironment = { variables: {}, cdkArgs: [], profiles: [] };

describe('diff/deploy act only on the assembly of their own settings', () => {
  // Code paths are context (cdk.json-level) settings: the fixtures stand in for the bundles on both sides.
  const fixtures = { ...fixtureCodePaths };
  delete (fixtures as Partial<typeof fixtures>).streamReaderCodePath;
  delete (fixtures as Partial<typeof fixtures>).writerCodePath;
  const fixtureArgs = Object.entries(fixtures).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  let prodWorkspace: string;

  beforeAll(() => {
    prodWorkspace = workspaceWithAssembly({ SYNC_STAGE: 'prod', CDK_DEPLOY_REGION: 'eu-west-1' }, fixtures);
  });
  afterAll(() => rmSync(prodWorkspace, { recursive: true, force: true }));

  const request = (overrides: Partial<CdkCommandRequest>): CdkCommandRequest => ({
    command: 'diff',
    cdkArgs: fixtureArgs,
    variables: { SYNC_STAGE: 'prod', CDK_DEPLOY_REGION: 'eu-west-1' },
    workspaceRoot: prodWorkspace,
    cdkJsonContext: cdkJsonContext(),
    userContext: {},
    credentials: withCredentials,
    ...overrides,
  });

  it('runs cdk on the assembly built from the same settings', () => {
    // when
    const plan = planCdkCommand(request({ command: 'deploy' }));

    // then
    expect(plan).toEqual({
      ok: true,
      assembly: join(prodWorkspace, ASSEMBLY_DIRECTORY),
      stackName: 'prod-DynamoDbOpenSearchSync',
      argv: [
        'cdk',
        'deploy',
        '--app',
        join(prodWorkspace, ASSEMBLY_DIRECTORY),
        '--no-notices',
        '--require-approval',
        'broadening',
        ...fixtureArgs,
        '**',
      ],
    });
  });

  it("keeps the user's --require-approval instead of adding the default one", () => {
    // when
    const plan = planCdkCommand(request({ command: 'deploy', cdkArgs: [...fixtureArgs, '--require-approval', 'never'] }));

    // then
    expect(plan.ok && plan.argv.filter((argument) => argument.startsWith('--require-approval'))).toEqual(['--require-approval']);
    expect(plan.ok && plan.argv).toContain('never');
  });

  it('refuses the prod assembly for a dev command, naming the setting that differs', () => {
    // when
    const plan = planCdkCommand(request({ variables: { CDK_DEPLOY_REGION: 'eu-west-1' } }));

    // then
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.message).toContain('stage is "prod" in the assembly, "dev" for this command');
  });

  it('refuses it when the region differs, and resolves -c arguments like the app (context over environment)', () => {
    // when
    const otherRegion = planCdkCommand(request({ variables: { SYNC_STAGE: 'prod', CDK_DEPLOY_REGION: 'us-west-2' } }));
    const fromContext = planCdkCommand(
      request({ variables: {}, cdkArgs: [...fixtureArgs, '-c', 'stage=prod', '--context', 'region=eu-west-1'] }),
    );

    // then
    expect(!otherRegion.ok && otherRegion.message).toMatch(
      /env is \{"region":"eu-west-1"\} in the assembly, \{"region":"us-west-2"\} for this command/,
    );
    expect(fromContext.ok).toBe(true);
  });

  it('counts the context of ~/.cdk.json, below cdk.json and -c arguments', () => {
    // when
    const fromUserContext = planCdkCommand(request({ variables: { CDK_DEPLOY_REGION: 'eu-west-1' }, userContext: { stage: 'prod' } }));
    const overridden = planCdkCommand(request({ cdkArgs: [...fixtureArgs, '-c', 'stage=qa'], userContext: { stage: 'prod' } }));

    // then
    expect(fromUserContext.ok).toBe(true);
    expect(!overridden.ok && overridden.message).toContain('stage is "prod" in the assembly, "qa" for this command');
  });

  it('refuses a directory that is not an assembly of this app', () => {
    // given
    const empty = mkdtempSync(join(tmpdir(), 'infra-empty-'));
    const foreign = mkdtempSync(join(tmpdir(), 'infra-foreign-'));
    mkdirSync(join(foreign, ASSEMBLY_DIRECTORY), { recursive: true });
    writeFileSync(join(foreign, ASSEMBLY_DIRECTORY, 'manifest.json'), '{"version":"41.0.0"}');
    const expected = resolveInfraConfig(() => undefined, {});

    // when
    const none = checkAssembly(join(empty, ASSEMBLY_DIRECTORY), expected);
    const unrecorded = checkAssembly(join(foreign, ASSEMBLY_DIRECTORY), expected);

    // then
    expect(!none.ok && none.problem).toMatch(/^No cloud assembly in .* Run `npx nx run infra:synth`/);
    expect(!unrecorded.ok && unrecorded.problem).toContain(`has no ${ASSEMBLY_CONFIG_FILE}`);
    rmSync(empty, { recursive: true, force: true });
    rmSync(foreign, { recursive: true, force: true });
  });

  it('stops before CDK without credentials, with the one explanatory message', () => {
    // when
    const plan = planCdkCommand(request({ credentials: withoutCredentials }));

    // then
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.message).toMatch(
      /^infra:diff: no AWS credentials found, so `cdk diff` cannot reach stack prod-DynamoDbOpenSearchSync/,
    );
  });

  it('reports a bad setting of the command itself by name', () => {
    // when
    const plan = planCdkCommand(request({ variables: { CDK_DEPLOY_ACCOUNT: '1234' } }));

    // then
    expect(!plan.ok && plan.message).toMatch(/^infra:diff: Invalid account "1234"/);
  });
});

describe('contextArguments', () => {
  it('reads -c, --context and --context= pairs and ignores everything else', () => {
    // when
    const context = contextArguments([
      '-c',
      'stage=prod',
      '--profile',
      'ops',
      '--context',
      'region=eu-west-1',
      '--context=alarmEmail=a=b@example.com',
      '-c',
      'novalue',
    ]);

    // then
    expect(context).toEqual({ stage: 'prod', region: 'eu-west-1', alarmEmail: 'a=b@example.com' });
  });
});
