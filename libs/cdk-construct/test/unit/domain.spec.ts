import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { statementsOfRole, synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

describe('created OpenSearch domain', () => {
  it('runs OpenSearch 2.x encrypted at rest and in transit, HTTPS-only with TLS 1.2, zone-aware, logging', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: Match.stringLikeRegexp('^OpenSearch_2\\.'),
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      ClusterConfig: Match.objectLike({ ZoneAwarenessEnabled: true, DedicatedMasterEnabled: true }),
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

  it('accepts replacement capacity and zone awareness', () => {
    // given / when
    const { template } = synthesizeSync({
      domainProps: {
        capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
        zoneAwareness: { enabled: false },
      },
    });

    // then
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        InstanceCount: 1,
        InstanceType: 't3.small.search',
        ZoneAwarenessEnabled: false,
        DedicatedMasterEnabled: false,
      }),
      EncryptionAtRestOptions: { Enabled: true },
    });
  });
});

describe('existing resources', () => {
  it('syncs an existing table and domain without creating either', () => {
    // given / when
    const { template, sync } = synthesizeSync((stack) => ({
      tableProps: undefined,
      domainProps: undefined,
      table: dynamodb.Table.fromTableAttributes(stack, 'Imported', {
        tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/products',
        tableStreamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/products/stream/2026-01-01T00:00:00.000',
      }),
      keyAttributes: ['pk', 'sk'],
      domain: opensearch.Domain.fromDomainAttributes(stack, 'Search', {
        domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/search',
        domainEndpoint: 'https://search-search-abc.eu-west-1.es.amazonaws.com',
      }),
    }));

    // then
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::OpenSearchService::Domain', 0);
    expect(sync.createdDomain).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/products/stream/2026-01-01T00:00:00.000',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { OPENSEARCH_NODE: 'https://search-search-abc.eu-west-1.es.amazonaws.com' } },
    });
    expect(statementsOfRole(template, 'SyncIndexerRole')).toContainEqual({
      actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
      resources: ['arn:aws:es:eu-west-1:123456789012:domain/search/*'],
    });
  });

  it('accepts an existing table with a NEW_AND_OLD_IMAGES stream and reads its key schema', () => {
    // given / when
    const { sync } = synthesizeSync((stack) => ({
      tableProps: undefined,
      table: new dynamodb.Table(stack, 'Existing', {
        partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
        stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      }),
    }));

    // then
    expect(sync.keyAttributes).toEqual(['id']);
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
