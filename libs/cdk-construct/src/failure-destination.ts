import { Aws, RemovalPolicy, Stack, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The on-failure destination of the stream event source mapping when it is S3: a dedicated bucket (not the archive:
 * no notification loops) that receives Lambda's invocation record with the whole failed batch (`payload`), and
 * tells the existing on-failure queue about each object, so the failure handler keeps its queue, retries and DLQ.
 */
export class FailedBatchBucket extends Construct implements lambda.IEventSourceDlq {
  public readonly bucket: s3.Bucket;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly onFailureQueue: sqs.Queue; readonly accessLogsBucket: s3.IBucket; readonly expireAfter: Duration },
  ) {
    super(scope, id);
    // A name known before the bucket exists lets the queue policy name its source without a dependency cycle.
    const bucketName = `ddb-os-failed-${this.node.addr.slice(0, 16)}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Objects hold the only full copy of failed batches until the failure handler archives them.
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'failed-batch-bucket/',
      lifecycleRules: [{ id: 'expire-failed-batches', expiration: props.expireAfter }],
    });
    this.notifyQueue(props.onFailureQueue, Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: bucketName }));
  }

  /** What Lambda needs to write a failed batch: PutObject and ListBucket on this bucket only. */
  public bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'WriteFailedBatches', actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ListFailedBatches', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    return { destination: this.bucket.bucketArn };
  }

  /** The failure handler reads the objects it is told about, nothing else. */
  public grantReadObjects(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadFailedBatches', actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
  }

  /** Native notification configuration (no custom resource); S3 checks the queue policy when it is set. */
  private notifyQueue(queue: sqs.Queue, bucketArn: string): void {
    const { policyDependable } = queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'FailedBatchNotifications',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': bucketArn }, StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const resource = this.bucket.node.defaultChild as s3.CfnBucket;
    resource.notificationConfiguration = { queueConfigurations: [{ event: 's3:ObjectCreated:*', queue: queue.queueArn }] };
    if (policyDependable) resource.node.addDependency(policyDependable);
  }
}
