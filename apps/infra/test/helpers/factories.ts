import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { App } from 'aws-cdk-lib';
import { demoSync } from '@ddb-os/syncs';
import { defineSyncs, type SyncDefinition, type Syncs } from '@ddb-os/sync-definition';
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

/**
 * A second sync beside the demo: an `orders` table keyed by `orderId` the deployment creates, buffered, failed
 * batches to S3, a transform that drops one attribute and renames another.
 */
export function ordersSync(overrides: Partial<SyncDefinition> = {}): SyncDefinition {
  return {
    name: 'orders',
    table: { create: { partitionKey: 'orderId' } },
    domain: { create: { dataNodes: 2, volumeGiB: 20 } },
    routes: [{ index: 'orders', match: { always: true }, transform: { exclude: ['cardNumber'], rename: { total: 'amount' } } }],
    mode: 'buffered',
    failures: { destination: 's3' },
    ...overrides,
  };
}

/** The demo and the orders sync, as a workspace with two syncs defines them. */
export const twoSyncs = (): Syncs => defineSyncs({ syncs: [demoSync(), ordersSync()] });

/** A sync of a table and a domain that exist already: the table by ARN with its stream, the domain by endpoint and ARN. */
export const existingSync: SyncDefinition = {
  name: 'catalog',
  table: {
    existing: {
      arn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/catalog',
      streamArn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/catalog/stream/2026-01-01T00:00:00.000',
    },
  },
  domain: {
    existing: {
      endpoint: 'https://search-catalog-abc123.eu-west-1.es.amazonaws.com',
      arn: 'arn:aws:es:eu-west-1:111111111111:domain/catalog',
    },
  },
  routes: [{ index: 'catalog', match: { always: true } }],
};

/** The real app (cdk.json context, nag checks) with fixture bundles and no environment variables; the workspace's syncs by default. */
export function buildInfra(context: Record<string, unknown> = {}, variables: Record<string, string> = {}, syncs?: Syncs): InfraUnderTest {
  const { app, stage } = createInfraApp({ context: { ...cdkJsonContext(), ...fixtureCodePaths, ...context } }, variables, syncs);
  return { app, stage, stack: stage.syncStack };
}

/** Synthesizes the app (running the cdk-nag plugin) and returns the sync stack's template. */
export function synthesizeInfra(
  context: Record<string, unknown> = {},
  variables: Record<string, string> = {},
  syncs?: Syncs,
): InfraUnderTest & { template: Template } {
  const infra = buildInfra(context, variables, syncs);
  return { ...infra, template: Template.fromStack(infra.stack) };
}

const ASSET_HASH = /[0-9a-f]{64}/g;
const SYNC_FINGERPRINT = /("SYNC_FINGERPRINT":)"[0-9a-f]{16}"/g;

/**
 * The template with asset hashes and definition fingerprints masked, so the snapshot changes with neither the
 * bundles' bytes nor the demo's schemas (stack.spec.ts checks the fingerprint itself).
 */
export function stableTemplate(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(ASSET_HASH, '<asset-hash>').replace(SYNC_FINGERPRINT, '$1"<fingerprint>"'));
}
