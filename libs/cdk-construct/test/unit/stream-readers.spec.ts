import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InvalidPropError, type DynamoDbToOpenSearchProps } from '../../src';
import { fixtureCodePaths, pkSkTableProps, statementsOfRole, synthesizeSync } from '../helpers/factories';

const buffered = {
  mode: 'buffered',
  streamReaderCodePath: fixtureCodePaths.indexerCodePath,
  writerCodePath: fixtureCodePaths.indexerCodePath,
} as const;
const replicatedTableProps: dynamodb.TableProps = { ...pkSkTableProps, replicationRegions: ['us-east-1'] };
const importedStream = 'arn:aws:dynamodb:eu-west-1:123456789012:table/products/stream/2026-01-01T00:00:00.000';

function importedTable(extra: Partial<DynamoDbToOpenSearchProps>) {
  return (stack: Stack): Partial<DynamoDbToOpenSearchProps> => ({
    tableProps: undefined,
    table: dynamodb.Table.fromTableAttributes(stack, 'Imported', {
      tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/products',
      tableStreamArn: importedStream,
    }),
    keyAttributes: ['pk', 'sk'],
    ...extra,
  });
}

describe('readers per shard', () => {
  it.each([
    ['direct', {}, ['indexer (event source mapping)', 'failure handler (re-reads failed ranges from the stream)']],
    ['direct, S3 destination', { onFailureDestination: 's3' }, ['indexer (event source mapping)']],
    ['buffered', buffered, ['stream reader (event source mapping)', 'failure handler (re-reads failed ranges from the stream)']],
    ['buffered, S3 destination', { ...buffered, onFailureDestination: 's3' }, ['stream reader (event source mapping)']],
  ] as const)('are counted per mode: %s', (_case, props, readers) => {
    // given / when
    const { sync } = synthesizeSync(props);

    // then
    expect(sync.streamReaders).toEqual(readers);
  });

  it.each([
    ['a created table with replicationRegions', { tableProps: replicatedTableProps }],
    [
      'a TableV2 with replicas',
      (stack: Stack) => ({
        tableProps: undefined,
        table: new dynamodb.TableV2(stack, 'Global', {
          partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
          dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
          replicas: [{ region: 'us-east-1' }],
        }),
      }),
    ],
    ['an imported table declared global', importedTable({ globalTable: true })],
    ['a buffered sync of a global table', { ...buffered, tableProps: replicatedTableProps }],
  ])('refuse two readers on %s, naming onFailureDestination and the way out', (_case, props) => {
    // given / when
    const build = () => synthesizeSync(props as Partial<DynamoDbToOpenSearchProps>);

    // then
    expect(build).toThrow(InvalidPropError);
    expect(build).toThrow(
      /"onFailureDestination": puts 2 readers on the stream \(.*failure handler.*\); DynamoDB Streams allows 1 per shard for a global table \(replicas\): set onFailureDestination: 's3'/,
    );
  });

  it('accept a global table with the one-reader configuration (S3 on-failure destination)', () => {
    // given / when
    const { sync } = synthesizeSync({ tableProps: replicatedTableProps, onFailureDestination: 's3' });

    // then
    expect(sync.streamReaders).toEqual(['indexer (event source mapping)']);
  });

  it('count the readers a team declares: a third reader on a table is refused', () => {
    // given / when / then
    expect(() => synthesizeSync({ otherStreamReaders: 1 })).toThrow(
      /"onFailureDestination": puts 3 readers on the stream .*allows 2 per shard for a table/,
    );
    expect(() => synthesizeSync({ otherStreamReaders: 2, onFailureDestination: 's3' })).toThrow(/"otherStreamReaders": puts 3 readers/);
    expect(synthesizeSync({ otherStreamReaders: 1, onFailureDestination: 's3' }).sync.streamReaders).toHaveLength(2);
  });

  it('refuse globalTable: false for a table that has replicas', () => {
    expect(() => synthesizeSync({ tableProps: replicatedTableProps, globalTable: false, onFailureDestination: 's3' })).toThrow(
      /"globalTable": is false but the table has replicas/,
    );
  });
});

describe("onFailureDestination: 's3'", () => {
  let synthesized: ReturnType<typeof synthesizeSync> | undefined;
  const synthesizeS3 = () => (synthesized ??= synthesizeSync({ onFailureDestination: 's3' }));
  const failedBatchBucket = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncFailedBatchesBucket'), 'Arn'] };

  it('sends failed batches to a dedicated encrypted, TLS-only, retained bucket', () => {
    // given / when
    const { template } = synthesizeS3();

    // then
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: failedBatchBucket } },
    });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'failed-batch-bucket/' }),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^SyncFailedBatchesBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('notifies the existing on-failure queue of every object, natively and only from that bucket', () => {
    // given / when
    const { template } = synthesizeS3();

    // then
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        NotificationConfiguration: {
          QueueConfigurations: [
            { Event: 's3:ObjectCreated:*', Queue: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncOnFailureQueue'), 'Arn'] } },
          ],
        },
      }),
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^SyncOnFailureQueuePolicy')]),
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('^SyncOnFailureQueue') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'FailedBatchNotifications',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: {
              ArnEquals: { 'aws:SourceArn': Match.anyValue() },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  it('lets Lambda write there (PutObject, ListBucket) and the failure handler read there, with no stream access for the failure handler', () => {
    // given / when
    const { template } = synthesizeS3();

    // then
    expect(statementsOfRole(template, 'SyncIndexerRole')).toEqual(
      expect.arrayContaining([
        { actions: ['s3:PutObject'], resources: ['<SyncFailedBatchesBucket.Arn>/*'] },
        { actions: ['s3:ListBucket'], resources: ['<SyncFailedBatchesBucket.Arn>'] },
      ]),
    );
    expect(statementsOfRole(template, 'SyncIndexerRole').flatMap((statement) => statement.resources)).not.toContain(
      '<SyncOnFailureQueue.Arn>',
    );
    const failureHandler = statementsOfRole(template, 'SyncFailureHandlerRole');
    expect(failureHandler).toContainEqual({ actions: ['s3:GetObject'], resources: ['<SyncFailedBatchesBucket.Arn>/*'] });
    expect(failureHandler.flatMap((statement) => statement.actions).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });

  it.each([
    ['direct', {}],
    ['buffered', buffered],
  ] as const)('is clean in cdk-nag but for the domain placement (%s mode)', (_mode, props) => {
    // given
    const { stack } = synthesizeSync({ ...props, onFailureDestination: 's3' });

    // when
    const report = new AwsSolutionsChecks().validateScope(stack);

    // then
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
    );
    expect(findings).toEqual(['AwsSolutions-OS1 @ TestStack/Sync/Domain/Resource']);
  });
});
