import type { Environment } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

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
  /** Bundle directories; `undefined` = the construct defaults (`dist/apps/<app>` from the workspace root). */
  readonly indexerCodePath: string | undefined;
  readonly failureHandlerCodePath: string | undefined;
}

type Variables = Readonly<Record<string, string | undefined>>;

/** Reads the config: context wins over environment variables, which win over defaults. */
export function readInfraConfig(scope: Construct, variables: Variables = process.env): InfraConfig {
  const read = (contextKey: string, variable?: string): string | undefined => {
    const fromContext: unknown = scope.node.tryGetContext(contextKey);
    if (typeof fromContext === 'string' && fromContext.length > 0) return fromContext;
    const fromEnvironment = variable ? variables[variable] : undefined;
    return fromEnvironment && fromEnvironment.length > 0 ? fromEnvironment : undefined;
  };
  const stage = read('stage', 'SYNC_STAGE') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new Error(`Invalid stage "${stage}": use 1-20 lowercase letters, digits or '-', starting with a letter`);
  return {
    stage,
    env: { account: read('account', 'CDK_DEPLOY_ACCOUNT'), region: read('region', 'CDK_DEPLOY_REGION') },
    alarmEmail: read('alarmEmail', 'SYNC_ALARM_EMAIL'),
    domainInstanceType: read('domainInstanceType') ?? 't3.small.search',
    indexerCodePath: read('indexerCodePath'),
    failureHandlerCodePath: read('failureHandlerCodePath'),
  };
}
