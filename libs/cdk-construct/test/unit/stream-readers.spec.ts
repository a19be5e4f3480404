import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InvalidPropError } from '../../src';
import { existingTableAndDomain, fixtureCodePaths, statementsOfRole, synthesizeSync, type SyncOverrides } from '../helpers/factories';

const bufferedCode = {
  streamReaderCodePath: fixtureCodePaths.indexerCodePath,
  writerCodePath: fixtureCodePaths.indexerCodePath,
} as const;
const buffered = { ...bufferedCode, definition: { mode: 'buffered' } } as const;
const s3 = { failures: { destination: 's3' } } as const;
const replicated: SyncOverrides = { tableProps: { replicationRegions: ['us-east-1'] } };
const existingGlobalTable = {
  ...existingTableAndDomain,
  table: { existing: { ...existingTableAndDomain.table.existing, globalTable: true } },
} as const;

describe('readers per shard', () => {
  it.each<[string, SyncOverrides, readonly string[]]>([
    ['direct', {}, ['indexer (event source mapping)', 'failure handler (re-reads failed ranges from the stream)']],
    ['direct, S3 destination', { definition: s3 }, ['indexer (event source mapping)']],
    ['buffered', buffered, ['stream reader (event source mapping)', 'failure handler (re-reads failed ranges from the stream)']],
    ['buffered, S3 destination', { ...bufferedCode, definition: { mode: 'buffered', ...s3 } }, ['stream reader (event source mapping)']],
  ])('are counted per mode: %s', (_case, props, readers) => {
    // given / when
    const { sync } = synthesizeSync(props);

    // then
    expect(sync.streamReaders).toEqual(readers);
  });

  it.each<[string, SyncOverrides]>([
    ['a created table with replicationRegions', replicated],
    ['an existing table the definition declares global', { definition: existingGlobalTable }],
    ['a buffered sync of a global table', { ...buffered, ...replicated }],
  ])("refuse two readers on %s, naming the definition's failures.destination and the way out", (_case, props) => {
    // given / when
    const build = () => synthesizeSync(props);

    // then
    expect(build).toThrow(InvalidPropError);
    expect(build).toThrow(
      /"sync": failures.destination puts 2 readers on the stream \(.*failure handler.*\); DynamoDB Streams allows 1 per shard for a global table \(replicas\): set failures: \{ destination: 's3' \}/,
    );
  });

  it('accept a global table with the one-reader configuration (S3 on-failure destination)', () => {
    // given / when
    const created = synthesizeSync({ ...replicated, definition: s3 });
    const existing = synthesizeSync({ definition: { ...existingGlobalTable, ...s3 } });

    // then
    expect(created.sync.streamReaders).toEqual(['indexer (event source mapping)']);
    expect(existing.sync.streamReaders).toEqual(['indexer (event source mapping)']);
  });

  it('count the readers a team declares: a third reader on a table is refused', () => {
    // given / when / then
    expect(() => synthesizeSync({ otherStreamReaders: 1 })).toThrow(
      /"sync": failures.destination puts 3 readers on the stream .*allows 2 per shard for a table/,
    );
    expect(() => synthesizeSync({ otherStreamReaders: 2, definition: s3 })).toThrow(/"otherStreamReaders": puts 3 readers/);
    expect(synthesizeSync({ otherStreamReaders: 1, definition: s3 }).sync.streamReaders).toHaveLength(2);
  });
});

describe("onFailureDestination: 's3'", () => {
  let synthesized: ReturnType<typeof synthesizeSync> | undefined;
  const synthesizeS3 = () => (synthesized ??= synthesizeSync({ definition: s3 }));
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

  it.each<[string, SyncOverrides]>([
    ['direct', { definition: s3 }],
    ['buffered', { ...bufferedCode, definition: { mode: 'buffered', ...s3 } }],
  ])('is clean in cdk-nag but for the one-node domain the definition declares (%s mode)', (_mode, props) => {
    // given
    const { stack } = synthesizeSync(props);

    // when
    const report = new AwsSolutionsChecks().validateScope(stack);

    // then
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
    );
    expect(findings).toEqual(
      ['AwsSolutions-OS1', 'AwsSolutions-OS4', 'AwsSolutions-OS7'].map((rule) => `${rule} @ TestStack/Sync/Domain/Resource`),
    );
  });
});
