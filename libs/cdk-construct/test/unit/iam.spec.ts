import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { allPolicyActions, existingTableAndDomain, statementsOfRole, synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

describe('least-privilege IAM', () => {
  it('gives the indexer exactly: its logs, four HTTP verbs on the domain, send to the DLQ and on-failure queue, stream read', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    expect(statementsOfRole(template, 'SyncIndexerRole')).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['<SyncIndexerFunctionLogGroup.Arn>'] },
      { actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'], resources: ['<SyncDomain.Arn>/*'] },
      { actions: ['sqs:SendMessage'], resources: ['<SyncDeadLetterQueue.Arn>'] },
      // Added by SqsDlq: Lambda sends on-failure records with the function's role.
      { actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: ['<SyncOnFailureQueue.Arn>'] },
      // Added by DynamoEventSource: ListStreams has no resource-level permissions.
      { actions: ['dynamodb:ListStreams'], resources: ['*'] },
      { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: ['<SyncTable.StreamArn>'] },
    ]);
  });

  it('gives the failure handler exactly: its logs, stream read by ARN, archive objects, queue consumption', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    const consume = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
    expect(statementsOfRole(template, 'SyncFailureHandlerRole')).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['<SyncFailureHandlerFunctionLogGroup.Arn>'] },
      { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: ['<SyncTable.StreamArn>'] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: ['<SyncArchiveArchiveBucket.Arn>/failures/<SyncTable>/*'] },
      { actions: ['s3:ListBucket'], resources: ['<SyncArchiveArchiveBucket.Arn>'] },
      { actions: consume, resources: ['<SyncOnFailureQueue.Arn>'] },
      { actions: consume, resources: ['<SyncDeadLetterQueue.Arn>'] },
    ]);
  });

  it('gives the writer of an existing table DescribeTable on that table only (its keys are read at cold start)', () => {
    // given / when
    const { template } = synthesizeSync({ definition: existingTableAndDomain });

    // then
    const table = existingTableAndDomain.table.existing;
    const domainPaths = `${existingTableAndDomain.domain.existing.arn}/*`;
    expect(statementsOfRole(template, 'SyncIndexerRole')).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['<SyncIndexerFunctionLogGroup.Arn>'] },
      { actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'], resources: [domainPaths] },
      { actions: ['sqs:SendMessage'], resources: ['<SyncDeadLetterQueue.Arn>'] },
      { actions: ['dynamodb:DescribeTable'], resources: [table.arn] },
      { actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: ['<SyncOnFailureQueue.Arn>'] },
      { actions: ['dynamodb:ListStreams'], resources: ['*'] },
      { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [table.streamArn] },
    ]);
    expect(statementsOfRole(template, 'SyncFailureHandlerRole')).toContainEqual({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: ['<SyncArchiveArchiveBucket.Arn>/failures/catalog/*'],
    });
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::OpenSearchService::Domain', 0);
  });

  it('grants no wildcard action anywhere', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    const actions = allPolicyActions(template);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('admits only the indexer role to the created domain, with the same four verbs', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AccessPolicies: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'IndexerHttpAccess',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncIndexerRole'), 'Arn'] } },
            Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(':es:eu-west-1:123456789012:domain/os-sync-[0-9a-f]{8}/\\*$')],
              ],
            },
          },
        ],
      },
    });
  });

  it('adds only network-interface management when the indexer runs in a VPC', () => {
    // given / when
    const { template } = synthesizeSync((stack) => ({
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }),
      domainProps: { zoneAwareness: { enabled: true, availabilityZoneCount: 2 } },
    }));

    // then
    expect(statementsOfRole(template, 'SyncIndexerRole')).toContainEqual({
      actions: [
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: ['*'],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443,
      ToPort: 443,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncDomainSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncIndexerFunctionSecurityGroup'), 'GroupId'] },
    });
  });
});
