import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { App } from 'aws-cdk-lib';
import { createInfraApp } from '../../src/app';
import type { DynamoDbOpenSearchSyncStack } from '../../src/dynamodb-opensearch-sync-stack';
import type { SyncStage } from '../../src/sync-stage';

/** The context of apps/infra/cdk.json (feature flags and defaults), as `cdk synth` passes it. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** Tiny stand-ins for the Lambda bundles, so tests never need `nx run *:bundle`. */
export const fixtureCodePaths = {
  indexerCodePath: join(__dirname, '..', 'fixtures', 'indexer'),
  failureHandlerCodePath: join(__dirname, '..', 'fixtures', 'failure-handler'),
  streamReaderCodePath: join(__dirname, '..', 'fixtures', 'stream-reader'),
  writerCodePath: join(__dirname, '..', 'fixtures', 'opensearch-writer'),
} as const;

export interface InfraUnderTest {
  readonly app: App;
  readonly stage: SyncStage;
  readonly stack: DynamoDbOpenSearchSyncStack;
}

/** The real app (cdk.json context, nag checks) with fixture bundles and no environment variables. */
export function buildInfra(context: Record<string, unknown> = {}, variables: Record<string, string> = {}): InfraUnderTest {
  const { app, stage } = createInfraApp({ context: { ...cdkJsonContext(), ...fixtureCodePaths, ...context } }, variables);
  return { app, stage, stack: stage.syncStack };
}

/** Synthesizes the app (running the cdk-nag plugin) and returns the sync stack's template. */
export function synthesizeInfra(
  context: Record<string, unknown> = {},
  variables: Record<string, string> = {},
): InfraUnderTest & { template: Template } {
  const infra = buildInfra(context, variables);
  return { ...infra, template: Template.fromStack(infra.stack) };
}

const ASSET_HASH = /[0-9a-f]{64}/g;

/** The template with asset hashes masked, so the snapshot does not change with the bundles' bytes. */
export function stableTemplate(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(ASSET_HASH, '<asset-hash>'));
}
