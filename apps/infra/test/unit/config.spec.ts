import { App } from 'aws-cdk-lib';
import { readInfraConfig } from '../../src/config';
import { cdkJsonContext } from '../helpers/factories';

describe('readInfraConfig', () => {
  it('defaults to an environment-agnostic dev stage and the construct default bundles', () => {
    // given
    const app = new App();

    // when
    const config = readInfraConfig(app, {});

    // then
    expect(config).toEqual({
      stage: 'dev',
      env: { account: undefined, region: undefined },
      alarmEmail: undefined,
      indexerCodePath: undefined,
      failureHandlerCodePath: undefined,
      streamReaderCodePath: undefined,
      writerCodePath: undefined,
    });
  });

  it('reads the environment when the context is silent', () => {
    // given
    const app = new App();
    const variables = {
      SYNC_STAGE: 'prod',
      CDK_DEPLOY_ACCOUNT: '111111111111',
      CDK_DEPLOY_REGION: 'eu-west-1',
      SYNC_ALARM_EMAIL: 'ops@example.com',
    };

    // when
    const config = readInfraConfig(app, variables);

    // then
    expect(config).toMatchObject({ stage: 'prod', env: { account: '111111111111', region: 'eu-west-1' }, alarmEmail: 'ops@example.com' });
  });

  it('prefers the context over the environment', () => {
    // given
    const app = new App({ context: { stage: 'qa', region: 'us-west-2', alarmEmail: 'qa@example.com' } });

    // when
    const config = readInfraConfig(app, { SYNC_STAGE: 'prod', CDK_DEPLOY_REGION: 'eu-west-1', SYNC_ALARM_EMAIL: 'ops@example.com' });

    // then
    expect(config).toMatchObject({ stage: 'qa', env: { region: 'us-west-2' }, alarmEmail: 'qa@example.com' });
  });

  it('rejects a stage that cannot prefix a stack name, naming it', () => {
    // given
    const app = new App({ context: { stage: 'Prod_1' } });

    // when / then
    expect(() => readInfraConfig(app, {})).toThrow(/Invalid stage "Prod_1"/);
  });

  it('lets SYNC_STAGE through the context of cdk.json (which must not pin a stage)', () => {
    // given the context `cdk synth` passes: everything in cdk.json
    const app = new App({ context: cdkJsonContext() });

    // when
    const config = readInfraConfig(app, { SYNC_STAGE: 'prod' });

    // then
    expect(config.stage).toBe('prod');
  });

  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    [
      'SYNC_MODE',
      { SYNC_MODE: 'buffered' },
      {},
      'Setting "mode" (context "mode" / SYNC_MODE) is no longer read: set `mode` of the sync in syncs/sync.config.ts',
    ],
    [
      'SYNC_ON_FAILURE_DESTINATION',
      { SYNC_ON_FAILURE_DESTINATION: 's3' },
      {},
      'Setting "onFailureDestination" (context "onFailureDestination" / SYNC_ON_FAILURE_DESTINATION) is no longer read: set `failures.destination` of the sync in syncs/sync.config.ts',
    ],
    ['-c mode', {}, { mode: 'direct' }, 'Setting "mode" (context "mode" / SYNC_MODE) is no longer read'],
    [
      '-c domainInstanceType',
      {},
      { domainInstanceType: 'm7g.large.search' },
      'Setting "domainInstanceType" (context "domainInstanceType") is no longer read: set `domain.create.instanceType` of the sync in syncs/sync.config.ts',
    ],
  ])('refuses %s, which the sync definition now holds, saying where it went', (_setting, variables, context, message) => {
    // when / then
    expect(() => readInfraConfig(new App({ context }), variables)).toThrow(message);
  });

  it('rejects a bad account or region, naming the setting', () => {
    // when / then
    expect(() => readInfraConfig(new App(), { CDK_DEPLOY_ACCOUNT: '1234' })).toThrow(
      /Invalid account "1234" \(context "account" \/ CDK_DEPLOY_ACCOUNT\)/,
    );
    expect(() => readInfraConfig(new App({ context: { region: 'Europe' } }), {})).toThrow(/Invalid region "Europe"/);
  });
});
