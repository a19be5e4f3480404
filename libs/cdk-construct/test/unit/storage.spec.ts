import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { fixtureCodePaths, synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

const denyInsecureTransport = Match.arrayWith([
  Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
]);

describe('archive bucket', () => {
  it('is encrypted, versioned, private, logged, and tiers then expires its objects', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^SyncArchiveAccessLogsBucket') } },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
          ...['failures', 'replayed'].map((prefix) =>
            Match.objectLike({
              Id: `products-${prefix}`,
              Status: 'Enabled',
              Prefix: { 'Fn::Join': ['', [`${prefix}/`, { Ref: Match.stringLikeRegexp('^SyncTable') }, '/']] },
              Transitions: [
                { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
                { StorageClass: 'GLACIER', TransitionInDays: 90 },
              ],
              ExpirationInDays: 365,
            }),
          ),
        ],
      },
    });
  });

  it("takes its tiers from the props and its expiry from the definition's failures.archiveExpiryDays", () => {
    // given / when
    const { template } = synthesizeSync({
      archiveLifecycle: { infrequentAccessAfter: Duration.days(60), glacierAfter: Duration.days(120) },
      definition: { failures: { archiveExpiryDays: 730 } },
    });

    // then
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'products-failures',
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 60 },
              { StorageClass: 'GLACIER', TransitionInDays: 120 },
            ],
            ExpirationInDays: 730,
          }),
        ]),
      },
    });
  });

  it('enforces TLS on both buckets and retains them on stack deletion', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    expect(
      Object.keys(
        template.findResources('AWS::S3::BucketPolicy', { Properties: { PolicyDocument: { Statement: denyInsecureTransport } } }),
      ),
    ).toHaveLength(2);
    expect(
      Object.keys(template.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })),
    ).toHaveLength(2);
  });
});

describe('failure queues', () => {
  it('are encrypted, keep messages 14 days and enforce TLS', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.resourceCountIs('AWS::SQS::Queue', 3);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(
      Object.keys(
        template.findResources('AWS::SQS::QueuePolicy', { Properties: { PolicyDocument: { Statement: denyInsecureTransport } } }),
      ),
    ).toHaveLength(3);
  });

  it('redrive what the failure handler cannot process to the unprocessable queue, with room for its timeout', () => {
    // given / when
    const { template } = synthesizeSync({ failureHandlerTimeout: Duration.seconds(30) });

    // then
    const redriven = template.findResources('AWS::SQS::Queue', {
      Properties: {
        VisibilityTimeout: 180,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncUnprocessableQueue'), 'Arn'] },
          maxReceiveCount: 5,
        },
      },
    });
    expect(Object.keys(redriven).sort()).toEqual([
      expect.stringMatching(/^SyncDeadLetterQueue/),
      expect.stringMatching(/^SyncOnFailureQueue/),
    ]);
  });

  it.each([
    ['direct', {}],
    [
      'buffered',
      {
        definition: { mode: 'buffered' },
        streamReaderCodePath: fixtureCodePaths.indexerCodePath,
        writerCodePath: fixtureCodePaths.indexerCodePath,
      },
    ],
  ] as const)(
    'in %s mode: every queue that receives failed records is retained, and keeps messages at least as long as its source',
    (_mode, props) => {
      // given / when
      const { template } = synthesizeSync(props);

      // then
      const queues = template.findResources('AWS::SQS::Queue');
      const retentionOf = (logicalId: string): number => queues[logicalId]?.['Properties'].MessageRetentionPeriod as number;
      const redriven = Object.entries(queues).filter(([, queue]) => queue['Properties'].RedrivePolicy !== undefined);
      expect(redriven.length).toBeGreaterThanOrEqual(2);
      for (const [source, queue] of redriven) {
        const target = (queue['Properties'].RedrivePolicy.deadLetterTargetArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        expect(retentionOf(target)).toBeGreaterThanOrEqual(retentionOf(source));
        expect(queues[target]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
      for (const failureQueue of ['SyncOnFailureQueue', 'SyncDeadLetterQueue', 'SyncUnprocessableQueue']) {
        const [logicalId] = Object.keys(queues).filter((id) => id.startsWith(failureQueue));
        expect(queues[logicalId ?? '']).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    },
  );
});
