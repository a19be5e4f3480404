import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DynamoDbToOpenSearch } from '../../src';
import { syncProps } from '../helpers/factories';

const env = { account: '123456789012', region: 'eu-west-1' };

/** An app as a team builds it: cdk-nag registered as a validation plugin, run at `app.synth()`. */
function nagCheckedApp(): App {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** A search domain owned by another stack (findings of that stack are the fixture's, acknowledged here). */
function searchStack(app: App): { readonly stack: Stack; readonly domain: opensearch.Domain } {
  const stack = new Stack(app, 'SearchStack', { env });
  const domain = new opensearch.Domain(stack, 'Search', {
    version: opensearch.EngineVersion.OPENSEARCH_2_19,
    capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
    encryptionAtRest: { enabled: true },
    nodeToNodeEncryption: true,
    enforceHttps: true,
  });
  Validations.of(domain).acknowledge(
    ...[
      'AwsSolutions-OS1',
      'AwsSolutions-OS3',
      'AwsSolutions-OS4',
      'AwsSolutions-OS5',
      'AwsSolutions-OS7',
      'AwsSolutions-OS9[LogExport::SEARCH_SLOW_LOGS]',
      'AwsSolutions-OS9[LogExport::INDEX_SLOW_LOGS]',
    ].map((id) => ({
      id,
      reason: 'Fixture domain of another team; only the sync stack is under test.',
    })),
  );
  return { stack, domain };
}

describe('whole-app synthesis with cdk-nag', () => {
  it('synthesizes a sync whose domain lives in another stack (IAM5 acknowledged on the resolved cross-stack reference)', () => {
    // given
    const app = nagCheckedApp();
    const { domain } = searchStack(app);
    const syncStack = new Stack(app, 'SyncStack', { env });
    new DynamoDbToOpenSearch(syncStack, 'Sync', syncProps({ domainProps: undefined, domain }));

    // when
    const synthesize = () => app.synth();

    // then
    expect(synthesize).not.toThrow();
  });

  it('acknowledges Resource "*" for the actions that need it only: a wildcard added for another action is reported', () => {
    // given
    const app = nagCheckedApp();
    const sync = new DynamoDbToOpenSearch(
      new Stack(app, 'SyncStack', { env }),
      'Sync',
      syncProps({ domainProps: { zoneAwareness: { enabled: false }, capacity: { dataNodes: 1, multiAzWithStandbyEnabled: false } } }),
    );
    Validations.of(sync.createdDomain as opensearch.Domain).acknowledge(
      ...['AwsSolutions-OS1', 'AwsSolutions-OS4', 'AwsSolutions-OS7'].map((id) => ({
        id,
        reason: 'Fixture: a small domain outside a VPC is enough here.',
      })),
    );
    sync.indexerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }));

    // when
    const synthesize = () => app.synth();

    // then
    expect(synthesize).toThrow(/SyncStack\/Sync\/IndexerRole\/DefaultPolicy\/Resource[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/);
  });

  it('is clean for the same single-stack sync without the extra wildcard', () => {
    // given
    const app = nagCheckedApp();
    const sync = new DynamoDbToOpenSearch(
      new Stack(app, 'SyncStack', { env }),
      'Sync',
      syncProps({ domainProps: { zoneAwareness: { enabled: false }, capacity: { dataNodes: 1, multiAzWithStandbyEnabled: false } } }),
    );
    Validations.of(sync.createdDomain as opensearch.Domain).acknowledge(
      ...['AwsSolutions-OS1', 'AwsSolutions-OS4', 'AwsSolutions-OS7'].map((id) => ({
        id,
        reason: 'Fixture: a small domain outside a VPC is enough here.',
      })),
    );

    // when
    const synthesize = () => app.synth();

    // then
    expect(synthesize).not.toThrow();
  });
});
