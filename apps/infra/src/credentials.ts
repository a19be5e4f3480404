import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { InfraConfig } from './config';
import { syncStackName } from './sync-stage';

type Variables = Readonly<Record<string, string | undefined>>;

/** What the AWS SDK's default credential chain could use, gathered without calling AWS. */
export interface CredentialEnvironment {
  readonly variables: Variables;
  /** Arguments passed on to the CDK CLI (`--profile <name>` counts). */
  readonly cdkArgs: readonly string[];
  /** Profile names found in the shared config file (`[default]`, `[profile x]`) and credentials file (`[x]`). */
  readonly profiles: readonly string[];
}

/**
 * Reads the shared config and credentials files (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`,
 * default `~/.aws/config` and `~/.aws/credentials`) for their profile names.
 */
export function readCredentialEnvironment(variables: Variables, cdkArgs: readonly string[]): CredentialEnvironment {
  const files = [
    variables['AWS_CONFIG_FILE'] ?? join(homedir(), '.aws', 'config'),
    variables['AWS_SHARED_CREDENTIALS_FILE'] ?? join(homedir(), '.aws', 'credentials'),
  ];
  const profiles = files.flatMap((file) => (existsSync(file) ? profileNames(readFileSync(file, 'utf8')) : []));
  return { variables, cdkArgs, profiles };
}

/** `[default]`, `[profile x]` and `[x]` section names of an ini file (`[sso-session x]` is not a profile). */
export function profileNames(ini: string): string[] {
  return [...ini.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)]
    .map((match) => match[1] ?? '')
    .filter((section) => !section.startsWith('sso-session ') && !section.startsWith('services '))
    .map((section) => section.replace(/^profile\s+/, ''));
}

/**
 * The credential sources present (empty when none): static keys, a profile (AWS_PROFILE, --profile or
 * the default one, including SSO profiles), web identity, container credentials, or an explicitly
 * configured instance metadata endpoint.
 *
 * @example
 * credentialSources({ variables: { AWS_PROFILE: 'ops' }, cdkArgs: [], profiles: ['ops'] }); // ['profile "ops" (AWS_PROFILE)']
 */
export function credentialSources(environment: CredentialEnvironment): string[] {
  const { variables: v, cdkArgs, profiles } = environment;
  const sources: string[] = [];
  if (v['AWS_ACCESS_KEY_ID'] && v['AWS_SECRET_ACCESS_KEY']) sources.push('AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY');
  const profileArgument = profileArgumentOf(cdkArgs);
  const profile = profileArgument ?? v['AWS_PROFILE'] ?? 'default';
  if (profiles.includes(profile))
    sources.push(`profile "${profile}" (${profileArgument ? '--profile' : v['AWS_PROFILE'] ? 'AWS_PROFILE' : 'shared config files'})`);
  if (v['AWS_WEB_IDENTITY_TOKEN_FILE'] && v['AWS_ROLE_ARN']) sources.push('web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)');
  if (v['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] || v['AWS_CONTAINER_CREDENTIALS_FULL_URI'])
    sources.push('container credentials (AWS_CONTAINER_CREDENTIALS_*)');
  if (v['AWS_EC2_METADATA_SERVICE_ENDPOINT'] && v['AWS_EC2_METADATA_DISABLED'] !== 'true')
    sources.push('EC2 instance metadata (AWS_EC2_METADATA_SERVICE_ENDPOINT)');
  return sources;
}

/**
 * The one message printed instead of CDK's "Unable to resolve AWS account": what is missing, how to
 * provide it, where the stack would go, and the bootstrap step.
 */
export function missingCredentialsMessage(command: 'diff' | 'deploy', config: InfraConfig, environment: CredentialEnvironment): string {
  const { variables: v } = environment;
  const named = profileArgumentOf(environment.cdkArgs) ?? v['AWS_PROFILE'];
  const account = config.env.account ?? '<account>';
  const region = config.env.region ?? v['AWS_REGION'] ?? v['AWS_DEFAULT_REGION'] ?? '<region>';
  const target =
    config.env.account && config.env.region
      ? `aws://${config.env.account}/${config.env.region}`
      : 'the account of your credentials and the region of AWS_REGION or your profile (the assembly is environment-agnostic)';
  return [
    `infra:${command}: no AWS credentials found, so \`cdk ${command}\` cannot reach stack ${syncStackName(config.stage)} in ${target}.`,
    named
      ? `  - profile "${named}" is named but defined in neither the shared config nor the credentials file.`
      : '  - no AWS_PROFILE, no --profile, no default profile in ~/.aws/config or ~/.aws/credentials.',
    '  - no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, no web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN), no container credentials (AWS_CONTAINER_CREDENTIALS_*).',
    'Provide credentials for the target account, one of:',
    '  export AWS_PROFILE=<profile>            # after `aws configure --profile <profile>`, or `aws configure sso` then `aws sso login`',
    '  export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… [AWS_SESSION_TOKEN=…]',
    '  export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://169.254.169.254   # on EC2, to use the instance role',
    "To pin the target instead of using the credentials' account/region, synthesize with CDK_DEPLOY_ACCOUNT=<12 digits> CDK_DEPLOY_REGION=<region> (or -c account=… -c region=…).",
    `Once per account/region, bootstrap CDK: npx cdk bootstrap aws://${account}/${region}`,
  ].join('\n');
}

function profileArgumentOf(cdkArgs: readonly string[]): string | undefined {
  for (const [index, argument] of cdkArgs.entries()) {
    if (argument === '--profile') return cdkArgs[index + 1];
    if (argument.startsWith('--profile=')) return argument.slice('--profile='.length);
  }
  return undefined;
}
