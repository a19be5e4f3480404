import type { Environment } from 'aws-cdk-lib';
import type { OnFailureDestination, SyncMode } from '@ddb-os/cdk-construct';
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
  mode: 'SYNC_MODE',
  onFailureDestination: 'SYNC_ON_FAILURE_DESTINATION',
} as const;

const SYNC_MODES: readonly SyncMode[] = ['direct', 'buffered'];
const ON_FAILURE_DESTINATIONS: readonly OnFailureDestination[] = ['sqs', 's3'];

/** Settings of the demo deployment, from CDK context (`-c key=value`, cdk.json) or the environment. */
export interface InfraConfig {
  /** Stage name: prefixes the stack name (`<stage>-DynamoDbOpenSearchSync`). */
  readonly stage: string;
  /** Target account/region; `undefined` fields keep the stack environment-agnostic (no lookups at synth). */
  readonly env: Environment;
  /** E-mail subscribed to the alarm topic, if any. */
  readonly alarmEmail: string | undefined;
  /** Instance type of the demo domain's single data node. */
  readonly domainInstanceType: string;
  /** `direct` (indexer on the stream) or `buffered` (stream reader → SNS/SQS FIFO → OpenSearch writer). */
  readonly mode: SyncMode;
  /** `sqs` (the failure handler re-reads failed ranges from the stream) or `s3` (Lambda writes the whole failed batch to a bucket: one stream reader less). */
  readonly onFailureDestination: OnFailureDestination;
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
  return {
    stage,
    env: { account, region },
    alarmEmail: read('alarmEmail', INFRA_VARIABLES.alarmEmail),
    domainInstanceType: read('domainInstanceType') ?? 't3.small.search',
    mode: oneOf('mode', INFRA_VARIABLES.mode, SYNC_MODES, read('mode', INFRA_VARIABLES.mode)) ?? 'direct',
    onFailureDestination:
      oneOf(
        'onFailureDestination',
        INFRA_VARIABLES.onFailureDestination,
        ON_FAILURE_DESTINATIONS,
        read('onFailureDestination', INFRA_VARIABLES.onFailureDestination),
      ) ?? 'sqs',
    indexerCodePath: read('indexerCodePath'),
    failureHandlerCodePath: read('failureHandlerCodePath'),
    streamReaderCodePath: read('streamReaderCodePath'),
    writerCodePath: read('writerCodePath'),
  };
}

function oneOf<T extends string>(contextKey: string, variable: string, allowed: readonly T[], value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const known = allowed.find((candidate) => candidate === value);
  if (!known)
    throw new Error(`Invalid ${contextKey} "${value}" (context "${contextKey}" / ${variable}): must be one of ${allowed.join(', ')}`);
  return known;
}
