import { Match } from 'aws-cdk-lib/assertions';
import { DEMO_INDEX_ROUTES } from '../../src/dynamodb-opensearch-sync-stack';
import { synthesizeInfra } from '../helpers/factories';

describe('DynamoDbOpenSearchSyncStack (demo)', () => {
  const { stack, template } = synthesizeInfra();

  it('is named after the stage and stays environment-agnostic by default', () => {
    // then
    expect(stack.stackName).toBe('dev-DynamoDbOpenSearchSync');
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('creates the pk/sk demo table with a NEW_AND_OLD_IMAGES stream', () => {
    // then
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('creates a small single-node OpenSearch 2.x domain', () => {
    // then
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: Match.stringLikeRegexp('^OpenSearch_2\\.'),
      ClusterConfig: Match.objectLike({
        InstanceCount: 1,
        InstanceType: 't3.small.search',
        ZoneAwarenessEnabled: false,
        DedicatedMasterEnabled: false,
      }),
      EBSOptions: { EBSEnabled: true, VolumeSize: 10, VolumeType: 'gp3' },
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
    });
  });

  it('routes products and reviews to their indexes', () => {
    // then
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { INDEX_ROUTES: JSON.stringify(DEMO_INDEX_ROUTES), POWERTOOLS_SERVICE_NAME: 'dev-products' } },
    });
  });

  it('sends every alarm to a KMS-encrypted, TLS-only topic', () => {
    // then
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }] });
  });

  it('subscribes the alarm e-mail when one is configured', () => {
    // given / when
    const withEmail = synthesizeInfra({ alarmEmail: 'ops@example.com' });

    // then
    withEmail.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('exports what operators need', () => {
    // then
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'TableName',
        'DomainEndpoint',
        'ArchiveBucketName',
        'OnFailureQueueUrl',
        'DeadLetterQueueUrl',
        'UnprocessableQueueUrl',
        'DashboardName',
        'AlarmTopicArn',
      ]),
    );
  });

  it('deploys no custom resources (no hidden Lambdas)', () => {
    // then
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(2);
    expect(
      Object.values(template.toJSON().Resources as Record<string, { Type: string }>).filter((resource) =>
        resource.Type.startsWith('Custom::'),
      ),
    ).toEqual([]);
  });
});
