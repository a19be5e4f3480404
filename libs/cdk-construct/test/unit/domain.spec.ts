import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { existingTableAndDomain, statementsOfRole, synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

describe('created OpenSearch domain', () => {
  it("runs OpenSearch 2.x encrypted at rest and in transit, HTTPS-only with TLS 1.2, logging, sized as the definition's defaults", () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: Match.stringLikeRegexp('^OpenSearch_2\\.'),
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      ClusterConfig: Match.objectLike({
        InstanceCount: 1,
        InstanceType: 't3.small.search',
        ZoneAwarenessEnabled: false,
        DedicatedMasterEnabled: false,
        MultiAZWithStandbyEnabled: false,
      }),
      EBSOptions: { EBSEnabled: true, VolumeSize: 10, VolumeType: 'gp3' },
      LogPublishingOptions: {
        SEARCH_SLOW_LOGS: Match.objectLike({ Enabled: true }),
        INDEX_SLOW_LOGS: Match.objectLike({ Enabled: true }),
        ES_APPLICATION_LOGS: Match.objectLike({ Enabled: true }),
      },
    });
  });

  it('lets OpenSearch write its logs through a native resource policy (no custom resource)', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    template.resourceCountIs('Custom::OpenSearchAccessPolicy', 0);
    template.resourceCountIs('Custom::CloudwatchLogResourcePolicy', 0);
    template.hasResource('AWS::OpenSearchService::Domain', {
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^SyncDomainLogsResourcePolicy')]),
    });
  });

  it('takes instanceType, dataNodes, volumeGiB and removal from the definition; domainProps adds what it does not declare', () => {
    // given / when
    const { template } = synthesizeSync({
      definition: { domain: { create: { instanceType: 'r7g.large.search', dataNodes: 3, volumeGiB: 50, removal: 'destroy' } } },
      domainProps: { capacity: { masterNodes: 3, masterNodeInstanceType: 'm7g.large.search', dataNodes: 9 } },
    });

    // then
    template.hasResource('AWS::OpenSearchService::Domain', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        ClusterConfig: Match.objectLike({
          InstanceCount: 3,
          InstanceType: 'r7g.large.search',
          ZoneAwarenessEnabled: true,
          ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
          DedicatedMasterEnabled: true,
          DedicatedMasterCount: 3,
        }),
        EBSOptions: Match.objectLike({ VolumeSize: 50 }),
        EncryptionAtRestOptions: { Enabled: true },
      }),
    });
  });

  it('retains the domain and the table by default (the definition says removal: retain)', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.hasResource('AWS::OpenSearchService::Domain', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });
});

describe('existing resources', () => {
  it('syncs an existing table (by ARN, with its stream ARN) and domain (by endpoint and ARN) without creating either', () => {
    // given / when
    const { template, sync } = synthesizeSync({ definition: existingTableAndDomain });

    // then
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::OpenSearchService::Domain', 0);
    expect(sync.createdDomain).toBeUndefined();
    expect(sync.keyAttributes).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: existingTableAndDomain.table.existing.streamArn });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OPENSEARCH_NODE: 'https://search-catalog-abc123.eu-west-1.es.amazonaws.com' }) },
    });
    expect(statementsOfRole(template, 'SyncIndexerRole')).toContainEqual({
      actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
      resources: ['arn:aws:es:eu-west-1:123456789012:domain/catalog/*'],
    });
  });

  it('imports an existing table by name too', () => {
    // given / when
    const { template } = synthesizeSync({
      definition: {
        ...existingTableAndDomain,
        table: { existing: { name: 'catalog', streamArn: existingTableAndDomain.table.existing.streamArn } },
      },
    });

    // then
    expect(statementsOfRole(template, 'SyncIndexerRole')).toContainEqual({
      actions: ['dynamodb:DescribeTable'],
      resources: ['arn:<AWS::Partition>:dynamodb:eu-west-1:123456789012:table/catalog'],
    });
  });

  it("creates the table with the definition's keys, typed by tableProps when given", () => {
    // given / when
    const { template, sync } = synthesizeSync({
      definition: { table: { create: { partitionKey: 'orderId' } }, routes: [{ index: 'orders', match: { always: true } }] },
      tableProps: { partitionKey: { name: 'orderId', type: dynamodb.AttributeType.NUMBER } },
    });

    // then
    expect(sync.keyAttributes).toEqual(['orderId']);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('creates the table with the stream, point-in-time recovery and KMS encryption', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});
