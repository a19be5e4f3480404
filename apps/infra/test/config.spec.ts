import { App } from 'aws-cdk-lib';
import { readInfraConfig } from '../src/config';

describe('readInfraConfig', () => {
  it('defaults to an environment-agnostic dev stage with a t3.small domain and the construct default bundles', () => {
    // given
    const app = new App();

    // when
    const config = readInfraConfig(app, {});

    // then
    expect(config).toEqual({
      stage: 'dev',
      env: { account: undefined, region: undefined },
      alarmEmail: undefined,
      domainInstanceType: 't3.small.search',
      indexerCodePath: undefined,
      failureHandlerCodePath: undefined,
    });
  });

  it('reads the environment when the context is silent', () => {
    // given
    const app = new App();
    const variables = { SYNC_STAGE: 'prod', CDK_DEPLOY_ACCOUNT: '111111111111', CDK_DEPLOY_REGION: 'eu-west-1', SYNC_ALARM_EMAIL: 'ops@example.com' };

    // when
    const config = readInfraConfig(app, variables);

    // then
    expect(config).toMatchObject({ stage: 'prod', env: { account: '111111111111', region: 'eu-west-1' }, alarmEmail: 'ops@example.com' });
  });

  it('prefers the context over the environment', () => {
    // given
    const app = new App({ context: { stage: 'qa', region: 'us-west-2', domainInstanceType: 'm7g.large.search' } });

    // when
    const config = readInfraConfig(app, { SYNC_STAGE: 'prod', CDK_DEPLOY_REGION: 'eu-west-1' });

    // then
    expect(config).toMatchObject({ stage: 'qa', env: { region: 'us-west-2' }, domainInstanceType: 'm7g.large.search' });
  });

  it('rejects a stage that cannot prefix a stack name, naming it', () => {
    // given
    const app = new App({ context: { stage: 'Prod_1' } });

    // when / then
    expect(() => readInfraConfig(app, {})).toThrow(/Invalid stage "Prod_1"/);
  });
});
