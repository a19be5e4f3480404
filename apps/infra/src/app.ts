import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readInfraConfig, type InfraConfig } from './config';
import { SyncStage } from './sync-stage';

/** The whole CDK app: one stage named after the configured stage, checked by cdk-nag AwsSolutions at synth. */
export function createInfraApp(
  props: AppProps = {},
  variables: Readonly<Record<string, string | undefined>> = process.env,
): { app: App; stage: SyncStage; config: InfraConfig } {
  const app = new App(props);
  const config = readInfraConfig(app, variables);
  const stage = new SyncStage(app, config.stage, { env: config.env, config });
  // Any unacknowledged AwsSolutions error or warning fails synthesis.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stage, config };
}
