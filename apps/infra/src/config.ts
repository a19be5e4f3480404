import type { Environment } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * Environment variables the app reads, by setting. Defined once: the config reader uses them, and
 * `infra:synth`'s Nx cache key must list every one (checked by test/project.spec.ts).
 */
export const INFRA_VARIABLES = {
  stage: 'SYNC_STAGE',
  account: 'CDK_DEPLOY_ACCOUNT',
  region: 'CDK_DEPLOY_REGION',
  alarmEmail: 'SYNC_ALARM_EMAIL',
} as const;

/**
 * Settings the app used to read and the sync definition (`syncs/sync.config.ts`) now holds: refused by name rather
 * than silently ignored, so a deployment script that still sets them learns where they went. Still part of
 * `infra:synth`'s cache key, so a cached synth refuses them too.
 */
export const RETIRED_SETTINGS = {
  mode: { variable: 'SYNC_MODE', now: 'mode' },
  onFailureDestination: { variable: 'SYNC_ON_FAILURE_DESTINATION', now: 'failures.destination' },
  domainInstanceType: { variable: undefined, now: 'domain.create.instanceType' },
} as const;

/** Settings of a deployment of the sync definition (what it deploys is the definition's), from CDK context (`-c key=value`, cdk.json) or the environment. */
export interface InfraConfig {
  /** Stage name: prefixes the stack name (`<stage>-DynamoDbOpenSearchSync`). */
  readonly stage: string;
  /** Target account/region; `undefined` fields keep the stack environment-agnostic (no lookups at synth). */
  readonly env: Environment;
  /** E-mail subscribed to the alarm topic, if any. */
  readonly alarmEmail: string | undefined;
  /** Bundle directories; `undefined` = the construct defaults (`dist/apps/<app>` from the workspace root). */
  readonly indexerCodePath: string | undefined;
  readonly failureHandlerCodePath: string | undefined;
  /** Buffered mode only. */
  readonly streamReaderCodePath: string | undefined;
  readonly writerCodePath: string | undefined;
}

type Variables = Readonly<Record<string, string | undefined>>;

/** Reads one CDK context key (`scope.node.tryGetContext`, or a plain object outside an app). */
export type ContextLookup = (key: string) => unknown;

/** Reads the config of an app: context wins over environment variables, which win over defaults. */
export function readInfraConfig(scope: Construct, variables: Variables = process.env): InfraConfig {
  return resolveInfraConfig((key) => scope.node.tryGetContext(key), variables);
}

/**
 * The config for a context and environment, without an app, so `diff`/`deploy` can compute the
 * settings their assembly must have been built with. Throws naming the first bad setting.
 *
 * @example
 * resolveInfraConfig((key) => ({ stage: 'prod' })[key], { CDK_DEPLOY_REGION: 'eu-west-1' }).stage; // 'prod'
 */
export function resolveInfraConfig(context: ContextLookup, variables: Variables = process.env): InfraConfig {
  const read = (contextKey: string, variable?: string): string | undefined => {
    const fromContext = context(contextKey);
    if (typeof fromContext === 'string' && fromContext.length > 0) return fromContext;
    const fromEnvironment = variable ? variables[variable] : undefined;
    return fromEnvironment && fromEnvironment.length > 0 ? fromEnvironment : undefined;
  };
  const stage = read('stage', INFRA_VARIABLES.stage) ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage))
    throw new Error(`Invalid stage "${stage}": use 1-20 lowercase letters, digits or '-', starting with a letter`);
  const account = read('account', INFRA_VARIABLES.account);
  if (account !== undefined && !/^\d{12}$/.test(account))
    throw new Error(`Invalid account "${account}" (context "account" / ${INFRA_VARIABLES.account}): must be a 12-digit AWS account id`);
  const region = read('region', INFRA_VARIABLES.region);
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new Error(`Invalid region "${region}" (context "region" / ${INFRA_VARIABLES.region}): must be an AWS region such as eu-west-1`);
  for (const [key, { variable, now }] of Object.entries(RETIRED_SETTINGS)) {
    if (read(key, variable) !== undefined)
      throw new Error(
        `Setting "${key}" (context "${key}"${variable ? ` / ${variable}` : ''}) is no longer read: set \`${now}\` of the sync in syncs/sync.config.ts`,
      );
  }
  return {
    stage,
    env: { account, region },
    alarmEmail: read('alarmEmail', INFRA_VARIABLES.alarmEmail),
    indexerCodePath: read('indexerCodePath'),
    failureHandlerCodePath: read('failureHandlerCodePath'),
    streamReaderCodePath: read('streamReaderCodePath'),
    writerCodePath: read('writerCodePath'),
  };
}
