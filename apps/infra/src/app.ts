import { App, type AppProps, Validations } from 'aws-cdk-lib';
import type { Syncs } from '@ddb-os/sync-definition';
import { syncs as workspaceSyncs } from '@ddb-os/syncs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readInfraConfig, type InfraConfig } from './config';
import { SyncStage } from './sync-stage';

/**
 * The whole CDK app: one stage named after the configured stage, deploying every sync of the definition
 * (`syncs/sync.config.ts` by default; tests pass their own `defineSyncs(...)`), checked by cdk-nag AwsSolutions at synth.
 */
export function createInfraApp(
  props: AppProps = {},
  variables: Readonly<Record<string, string | undefined>> = process.env,
  syncs: Syncs = workspaceSyncs,
): { app: App; stage: SyncStage; config: InfraConfig } {
  const app = new App(props);
  const config = readInfraConfig(app, variables);
  const stage = new SyncStage(app, config.stage, { env: config.env, config, syncs });
  // Any unacknowledged AwsSolutions error or warning fails synthesis.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stage, config };
}
