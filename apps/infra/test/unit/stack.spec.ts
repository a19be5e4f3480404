import { Match } from 'aws-cdk-lib/assertions';
import { syncs } from '@ddb-os/syncs';
import { synthesizeInfra } from '../helpers/factories';

describe('DynamoDbOpenSearchSyncStack of the workspace definition (the demo sync)', () => {
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

  it('names the sync and the fingerprint of its definition for every function (the bundle reads routes from it)', () => {
    // then
    const variables = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => fn['Properties'].Environment.Variables as Record<string, unknown>,
    );
    expect(variables).toHaveLength(2);
    for (const environment of variables) {
      expect(environment).toMatchObject({
        SYNC_NAME: 'demo',
        SYNC_FINGERPRINT: syncs.named('demo').fingerprint,
        POWERTOOLS_SERVICE_NAME: 'dev-demo',
      });
      expect(environment['INDEX_ROUTES']).toBeUndefined();
      expect(environment['KEY_ATTRIBUTES']).toBeUndefined();
    }
  });

  it('destroys the demo table and domain with the stack, as the demo definition says (removal: destroy)', () => {
    // then
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::OpenSearchService::Domain', { DeletionPolicy: 'Delete' });
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
        'DemoTableName',
        'DemoDomainEndpoint',
        'DemoWritersRoleArn',
        'DemoOnFailureQueueUrl',
        'DemoDeadLetterQueueUrl',
        'DemoUnprocessableQueueUrl',
        'ArchiveBucketName',
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
