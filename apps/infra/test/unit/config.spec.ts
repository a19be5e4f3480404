import { App } from 'aws-cdk-lib';
import { readInfraConfig } from '../../src/config';
import { cdkJsonContext } from '../helpers/factories';

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
      mode: 'direct',
      onFailureDestination: 'sqs',
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

  it('lets SYNC_STAGE through the context of cdk.json (which must not pin a stage)', () => {
    // given the context `cdk synth` passes: everything in cdk.json
    const app = new App({ context: cdkJsonContext() });

    // when
    const config = readInfraConfig(app, { SYNC_STAGE: 'prod' });

    // then
    expect(config.stage).toBe('prod');
  });

  it('reads the on-failure destination from SYNC_ON_FAILURE_DESTINATION or the context, sqs by default', () => {
    expect(readInfraConfig(new App(), {}).onFailureDestination).toBe('sqs');
    expect(readInfraConfig(new App(), { SYNC_ON_FAILURE_DESTINATION: 's3' }).onFailureDestination).toBe('s3');
    expect(
      readInfraConfig(new App({ context: { onFailureDestination: 'sqs' } }), { SYNC_ON_FAILURE_DESTINATION: 's3' }).onFailureDestination,
    ).toBe('sqs');
    expect(() => readInfraConfig(new App(), { SYNC_ON_FAILURE_DESTINATION: 'sns' })).toThrow(
      'Invalid onFailureDestination "sns" (context "onFailureDestination" / SYNC_ON_FAILURE_DESTINATION): must be one of sqs, s3',
    );
  });

  it('reads the sync mode from SYNC_MODE or the context', () => {
    // when / then
    expect(readInfraConfig(new App(), { SYNC_MODE: 'buffered' }).mode).toBe('buffered');
    expect(readInfraConfig(new App({ context: { mode: 'direct' } }), { SYNC_MODE: 'buffered' }).mode).toBe('direct');
  });

  it('rejects a bad mode, account or region, naming the setting', () => {
    // when / then
    expect(() => readInfraConfig(new App(), { SYNC_MODE: 'queued' })).toThrow(
      'Invalid mode "queued" (context "mode" / SYNC_MODE): must be one of direct, buffered',
    );
    expect(() => readInfraConfig(new App(), { CDK_DEPLOY_ACCOUNT: '1234' })).toThrow(
      /Invalid account "1234" \(context "account" \/ CDK_DEPLOY_ACCOUNT\)/,
    );
    expect(() => readInfraConfig(new App({ context: { region: 'Europe' } }), {})).toThrow(/Invalid region "Europe"/);
  });
});
