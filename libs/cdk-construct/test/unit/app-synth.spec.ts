import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DynamoDbToOpenSearch } from '../../src';
import { existingTableAndDomain, syncProps } from '../helpers/factories';

const env = { account: '123456789012', region: 'eu-west-1' };

/** An app as a team builds it: cdk-nag registered as a validation plugin, run at `app.synth()`. */
function nagCheckedApp(): App {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

describe('whole-app synthesis with cdk-nag', () => {
  it('synthesizes a sync of an existing table (by ARN) and an existing domain (by endpoint and ARN) with no finding at all', () => {
    // given
    const app = nagCheckedApp();
    const syncStack = new Stack(app, 'SyncStack', { env });
    new DynamoDbToOpenSearch(syncStack, 'Sync', syncProps({ definition: existingTableAndDomain }));

    // when
    const synthesize = () => app.synth();

    // then
    expect(synthesize).not.toThrow();
  });

  it('acknowledges Resource "*" for the actions that need it only: a wildcard added for another action is reported', () => {
    // given
    const app = nagCheckedApp();
    const sync = new DynamoDbToOpenSearch(new Stack(app, 'SyncStack', { env }), 'Sync', syncProps());
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
    const sync = new DynamoDbToOpenSearch(new Stack(app, 'SyncStack', { env }), 'Sync', syncProps());
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
