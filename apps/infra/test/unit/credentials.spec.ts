import { resolveInfraConfig } from '../../src/config';
import { credentialSources, missingCredentialsMessage, profileNames, type CredentialEnvironment } from '../../src/credentials';

const environment = (overrides: Partial<CredentialEnvironment>): CredentialEnvironment => ({
  variables: {},
  cdkArgs: [],
  profiles: [],
  ...overrides,
});

describe('credentialSources', () => {
  it('finds none in an empty environment', () => {
    // when / then
    expect(credentialSources(environment({}))).toEqual([]);
  });

  it.each([
    [{ variables: { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' } }, 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY'],
    [{ variables: { AWS_PROFILE: 'ops' }, profiles: ['ops'] }, 'profile "ops" (AWS_PROFILE)'],
    [{ cdkArgs: ['--profile', 'sso-admin'], profiles: ['sso-admin'] }, 'profile "sso-admin" (--profile)'],
    [{ profiles: ['default'] }, 'profile "default" (shared config files)'],
    [
      { variables: { AWS_WEB_IDENTITY_TOKEN_FILE: '/token', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' } },
      'web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)',
    ],
    [{ variables: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials' } }, 'container credentials (AWS_CONTAINER_CREDENTIALS_*)'],
    [
      { variables: { AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://169.254.169.254' } },
      'EC2 instance metadata (AWS_EC2_METADATA_SERVICE_ENDPOINT)',
    ],
  ])('finds %j', (overrides, source) => {
    // when / then
    expect(credentialSources(environment(overrides))).toEqual([source]);
  });

  it('does not count a key without its secret, or a profile that no file defines', () => {
    // when / then
    expect(credentialSources(environment({ variables: { AWS_ACCESS_KEY_ID: 'AKIA' } }))).toEqual([]);
    expect(credentialSources(environment({ variables: { AWS_PROFILE: 'missing' }, profiles: ['default'] }))).toEqual([]);
  });
});

describe('profileNames', () => {
  it('reads profiles from config and credentials files, not sso-session sections', () => {
    // when
    const names = profileNames(
      '[default]\nregion = eu-west-1\n[profile admin]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\n[ci]\naws_access_key_id = x\n',
    );

    // then
    expect(names).toEqual(['default', 'admin', 'ci']);
  });
});

describe('missingCredentialsMessage', () => {
  it('says what is missing, how to provide it, where the stack goes and how to bootstrap', () => {
    // given
    const config = resolveInfraConfig(() => undefined, {
      SYNC_STAGE: 'prod',
      CDK_DEPLOY_ACCOUNT: '111111111111',
      CDK_DEPLOY_REGION: 'eu-west-1',
    });

    // when
    const message = missingCredentialsMessage('deploy', config, environment({}));

    // then
    expect(message).toContain(
      'infra:deploy: no AWS credentials found, so `cdk deploy` cannot reach stack prod-DynamoDbOpenSearchSync in aws://111111111111/eu-west-1.',
    );
    expect(message).toContain('no AWS_PROFILE, no --profile, no default profile');
    expect(message).toContain('export AWS_PROFILE=<profile>');
    expect(message).toContain('export AWS_ACCESS_KEY_ID=');
    expect(message).toContain('npx cdk bootstrap aws://111111111111/eu-west-1');
  });

  it('names a profile that is set but undefined, and explains an environment-agnostic target', () => {
    // given
    const config = resolveInfraConfig(() => undefined, {});

    // when
    const message = missingCredentialsMessage('diff', config, environment({ variables: { AWS_PROFILE: 'ops', AWS_REGION: 'us-west-2' } }));

    // then
    expect(message).toContain('profile "ops" is named but defined in neither the shared config nor the credentials file');
    expect(message).toContain('the account of your credentials and the region of AWS_REGION or your profile');
    expect(message).toContain('CDK_DEPLOY_ACCOUNT=<12 digits> CDK_DEPLOY_REGION=<region>');
    expect(message).toContain('npx cdk bootstrap aws://<account>/us-west-2');
  });
});
