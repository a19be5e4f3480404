import { demoSync } from '@ddb-os/syncs';
import { defineSyncs, InvalidSyncDefinitionError, type SyncDefinition } from '@ddb-os/sync-definition';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildInfra, existingSync, ordersSync, synthesizeInfra, twoSyncs } from '../helpers/factories';

/** Unacknowledged AwsSolutions findings (errors and warnings), as `rule @ path`. */
function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
  );
}

type ReadableStatement = { readonly Action: string | string[]; readonly Resource: unknown };

/** Every resource named in the inline policies of the roles whose logical ids start with `prefix`, as JSON text. */
function resourcesOfRoles(template: Template, prefix: string): string {
  return JSON.stringify(
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy['Properties'].Roles as Array<{ Ref: string }>).every((role) => role.Ref.startsWith(prefix)))
      .flatMap((policy) => (policy['Properties'].PolicyDocument.Statement as ReadableStatement[]).map((statement) => statement.Resource)),
  );
}

describe('a definition with two syncs (the demo, and orders: key orderId, buffered, failed batches to S3)', () => {
  const { app, stage, stack, template } = synthesizeInfra({}, {}, twoSyncs());

  it('deploys both in the one stack, each with its own table and domain', () => {
    // then
    expect([...stack.syncs.keys()]).toEqual(['demo', 'orders']);
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.resourceCountIs('AWS::OpenSearchService::Domain', 2);
    template.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }] });
  });

  it('shares the alarm topic and its key, the dashboard and the archive: each appears once', () => {
    // then
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { FifoTopic: Match.absent() }, 1);
    expect(stack.syncs.get('orders')?.bufferTopic).toBeDefined();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourcePropertiesCountIs('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } }, 1);
    expect(stack.syncs.get('demo')?.archiveBucket).toBe(stack.archive.archiveBucket);
    expect(stack.syncs.get('orders')?.archiveBucket).toBe(stack.archive.archiveBucket);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }] });
  });

  it("gives each sync's functions only their own table, stream and queues", () => {
    // then
    const demo = resourcesOfRoles(template, 'demo');
    const orders = resourcesOfRoles(template, 'orders');
    expect(demo).toContain('demoTable');
    expect(demo).not.toContain('orders');
    expect(orders).toContain('ordersTable');
    expect(orders).toContain('ordersBufferTopic');
    expect(orders).not.toContain('demo');
  });

  it("keeps the shared access-log bucket's policy open to every sync's source bucket", () => {
    // then
    const policies = Object.values(
      template.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: Match.stringLikeRegexp('^ArchiveAccessLogsBucket') } },
      }),
    );
    expect(policies).toHaveLength(1);
    const statements = JSON.stringify(policies[0]?.['Properties'].PolicyDocument.Statement);
    expect(statements).toContain('ArchiveArchiveBucket');
    expect(statements).toContain('ordersFailedBatchesBucket');
  });

  it('names each sync in its functions (SYNC_NAME) and metrics (<stage>-<sync>)', () => {
    // then
    for (const name of ['demo', 'orders']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ SYNC_NAME: name, POWERTOOLS_SERVICE_NAME: `dev-${name}` }) },
      });
    }
  });

  it('exports each sync under its own prefix, the shared resources once', () => {
    // then
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'DemoTableName',
        'OrdersTableName',
        'OrdersWritersRoleArn',
        'ArchiveBucketName',
        'DashboardName',
        'AlarmTopicArn',
      ]),
    );
  });

  it('is cdk-nag clean (the one-node domain of each definition acknowledged with its reason), and synthesizes', () => {
    // then
    expect(nagFindings(stage)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a definition with an existing table (by ARN) and an existing domain (by endpoint and ARN)', () => {
  const { app, stage, stack, template } = synthesizeInfra({}, {}, defineSyncs({ syncs: [existingSync] }));

  it('creates neither, reads the stream by its ARN and writes the domain by its endpoint', () => {
    // then
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::OpenSearchService::Domain', 0);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/catalog/stream/2026-01-01T00:00:00.000',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ TABLE_NAME: 'catalog', OPENSEARCH_NODE: 'https://search-catalog-abc123.eu-west-1.es.amazonaws.com' }),
      },
    });
  });

  it('lets the writer read the key schema (DescribeTable on that table only) and exports its role for the domain access policy', () => {
    // then
    expect(resourcesOfRoles(template, 'catalogIndexerRole')).toContain('arn:aws:dynamodb:eu-west-1:111111111111:table/catalog"');
    template.hasOutput('CatalogWritersRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^catalogIndexerRole'), 'Arn'] } });
    expect(stack.syncs.get('catalog')?.keyAttributes).toBeUndefined();
  });

  it('is cdk-nag clean with no acknowledgment of a domain it does not own, and synthesizes', () => {
    // then
    expect(nagFindings(stage)).toEqual([]);
    const acknowledged = stage.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
    expect(acknowledged.filter((id) => /AwsSolutions-OS\d/.test(id))).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('an invalid definition fails synth with the message the Lambdas give at cold start', () => {
  /** The cold start's words: the bundle runs defineSyncs on the definition it compiles in. */
  function coldStartMessage(definitions: readonly SyncDefinition[]): string {
    try {
      defineSyncs({ syncs: definitions });
    } catch (error) {
      if (error instanceof InvalidSyncDefinitionError) return error.message;
      throw error;
    }
    throw new Error('defineSyncs accepted the definition');
  }

  it.each<[string, SyncDefinition]>([
    [
      'an invalid route set (a route after a catch-all)',
      ordersSync({
        routes: [
          { index: 'everything', match: { always: true } },
          { index: 'orders', match: { attribute: 'type', equals: 'order' } },
        ],
      }),
    ],
    [
      'an invalid transform (renaming the key attribute)',
      ordersSync({ routes: [{ index: 'orders', match: { always: true }, transform: { rename: { orderId: 'id' } } }] }),
    ],
  ])('%s', (_case, orders) => {
    // given
    const expected = coldStartMessage([demoSync(), orders]);
    const valid = twoSyncs();
    // a definition changed after validation reaches the app as the construct sees it
    const tampered = { ...valid, all: () => valid.all().map((sync) => (sync.name === 'orders' ? { ...sync, definition: orders } : sync)) };

    // when
    let refusal: unknown;
    try {
      buildInfra({}, {}, tampered);
    } catch (error) {
      refusal = error;
    }

    // then
    expect(refusal).toBeInstanceOf(InvalidSyncDefinitionError);
    expect((refusal as Error).message).toBe(expected);
  });
});
