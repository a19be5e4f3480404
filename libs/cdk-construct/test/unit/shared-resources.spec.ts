import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DynamoDbToOpenSearch, SyncArchive } from '../../src';
import { fixtureCodePaths, givenSync, statementsOfRole } from '../helpers/factories';

/** Two syncs in one stack sharing an archive and a dashboard; `orders` is buffered and sends failed batches to S3. */
function twoSyncs() {
  // Access-log delivery by bucket policy (the recommended flag, set in apps/infra/cdk.json), where one sync could cut off another.
  const stack = new Stack(new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } }), 'TestStack', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const archive = new SyncArchive(stack, 'Archive');
  const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', { dashboardName: 'all-syncs' });
  const products = new DynamoDbToOpenSearch(stack, 'products', { sync: givenSync(), archive, dashboard, ...fixtureCodePaths });
  const orders = new DynamoDbToOpenSearch(stack, 'orders', {
    sync: givenSync({
      name: 'orders',
      table: { create: { partitionKey: 'orderId' } },
      routes: [{ index: 'orders', match: { always: true } }],
      mode: 'buffered',
      failures: { destination: 's3', archiveExpiryDays: 730 },
    }),
    archive,
    dashboard,
    ...fixtureCodePaths,
    streamReaderCodePath: fixtureCodePaths.indexerCodePath,
    writerCodePath: fixtureCodePaths.indexerCodePath,
  });
  return { stack, products, orders, template: Template.fromStack(stack) };
}

describe('syncs sharing an archive and a dashboard', () => {
  const { stack, products, orders, template } = twoSyncs();

  it('creates the archive, its access-log bucket and the dashboard once', () => {
    // then
    expect(products.archiveBucket).toBe(orders.archiveBucket);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // archive + access logs, and the orders sync's own failed-batch bucket
    template.resourceCountIs('AWS::S3::Bucket', 3);
  });

  it("lets each failure handler read and write only its own table's archive objects", () => {
    // then
    expect(statementsOfRole(template, 'productsFailureHandlerRole')).toContainEqual({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: ['<ArchiveArchiveBucket.Arn>/failures/<productsTable>/*'],
    });
    expect(statementsOfRole(template, 'ordersFailureHandlerRole')).toContainEqual({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: ['<ArchiveArchiveBucket.Arn>/failures/<ordersTable>/*'],
    });
  });

  it('gives each sync its own lifecycle rules, on its own prefixes', () => {
    // then
    const [archive] = Object.values(
      template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } }),
    );
    const rules = (archive?.['Properties'].LifecycleConfiguration.Rules as Array<{ Id: string; ExpirationInDays?: number }>).map((rule) => [
      rule.Id,
      rule.ExpirationInDays,
    ]);
    expect(rules).toEqual([
      ['clean-up-versions-and-uploads', undefined],
      ['products-failures', 365],
      ['products-replayed', 365],
      ['orders-failures', 730],
      ['orders-replayed', 730],
    ]);
  });

  it("gives each sync's functions only their own table's stream and their own queues", () => {
    // then
    const resourcesOf = (rolePrefix: string) => statementsOfRole(template, rolePrefix).flatMap((statement) => statement.resources);
    const productsResources = [...resourcesOf('productsIndexerRole'), ...resourcesOf('productsFailureHandlerRole')].join(' ');
    const ordersResources = [
      ...resourcesOf('ordersIndexerRole'),
      ...resourcesOf('ordersStreamReaderRole'),
      ...resourcesOf('ordersFailureHandlerRole'),
    ].join(' ');
    expect(productsResources).toContain('<productsTable.StreamArn>');
    expect(productsResources).not.toMatch(/<orders/);
    expect(ordersResources).toContain('<ordersTable.StreamArn>');
    expect(ordersResources).not.toMatch(/<products/);
  });

  it("keeps every source bucket in the shared access-log bucket's policy (one sync does not cut off another)", () => {
    // then
    const [policy] = Object.values(
      template.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: Match.stringLikeRegexp('^ArchiveAccessLogsBucket') } },
      }),
    );
    const sources = JSON.stringify(policy?.['Properties'].PolicyDocument.Statement);
    expect(sources).toContain('ArchiveArchiveBucket');
    expect(sources).toContain('ordersFailedBatchesBucket');
  });

  it('shows both syncs on the shared dashboard, each under its own title', () => {
    // then
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.['Properties'].DashboardBody);
    expect(body).toContain('# products: DynamoDB → OpenSearch');
    expect(body).toContain('# orders: DynamoDB → OpenSearch');
  });

  it('is cdk-nag clean but for the one-node domains the definitions declare', () => {
    // when
    const report = new AwsSolutionsChecks().validateScope(stack);

    // then
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
    );
    expect(findings.sort()).toEqual(
      ['orders', 'products']
        .flatMap((sync) =>
          ['AwsSolutions-OS1', 'AwsSolutions-OS4', 'AwsSolutions-OS7'].map((rule) => `${rule} @ TestStack/${sync}/Domain/Resource`),
        )
        .sort(),
    );
  });
});
