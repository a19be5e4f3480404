import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { DynamoDbToOpenSearch, type DynamoDbToOpenSearchProps, type IndexRoute } from '@ddb-os/cdk-construct';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';

/** Demo routes for the single-table product catalogue (see libs/schemas). */
export const DEMO_INDEX_ROUTES: readonly IndexRoute[] = [
  { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
  { index: 'reviews', schema: 'review', match: { attribute: 'entityType', equals: 'review' } },
];

/** The construct accepts the buffered-mode bundle paths only in buffered mode, where the writer replaces the indexer. */
function codeOfMode(
  config: InfraConfig,
): Pick<DynamoDbToOpenSearchProps, 'mode' | 'indexerCodePath' | 'streamReaderCodePath' | 'writerCodePath'> {
  if (config.mode === 'direct') return { mode: 'direct', indexerCodePath: config.indexerCodePath };
  return { mode: 'buffered', streamReaderCodePath: config.streamReaderCodePath, writerCodePath: config.writerCodePath };
}

export interface DynamoDbOpenSearchSyncStackProps extends StackProps {
  readonly config: InfraConfig;
}

/** The demo: a pk/sk table, a one-node OpenSearch domain and the sync between them, with an alarm topic. */
export class DynamoDbOpenSearchSyncStack extends Stack {
  public readonly sync: DynamoDbToOpenSearch;
  public readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: DynamoDbOpenSearchSyncStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.alarmTopic = this.createAlarmTopic(config.alarmEmail);
    this.sync = new DynamoDbToOpenSearch(this, 'Sync', {
      tableProps: {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        // Demo data: `cdk destroy` removes it. The archive buckets are always retained.
        removalPolicy: RemovalPolicy.DESTROY,
      },
      domainProps: {
        capacity: { dataNodes: 1, dataNodeInstanceType: config.domainInstanceType, multiAzWithStandbyEnabled: false },
        zoneAwareness: { enabled: false },
        ebs: { volumeSize: 10, volumeType: ec2.EbsDeviceVolumeType.GP3 },
        removalPolicy: RemovalPolicy.DESTROY,
      },
      indexRoutes: DEMO_INDEX_ROUTES,
      syncName: `${config.stage}-products`,
      alarmTopic: this.alarmTopic,
      failureHandlerCodePath: config.failureHandlerCodePath,
      onFailureDestination: config.onFailureDestination,
      ...codeOfMode(config),
    });
    this.acknowledgeDemoDomainFindings();
    this.addOutputs();
  }

  /** CloudWatch can publish to an encrypted topic only through a customer managed key that trusts it. */
  private createAlarmTopic(alarmEmail: string | undefined): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the sync alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    if (alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
    return topic;
  }

  /** The demo domain trades availability and network isolation for cost; each trade-off is stated. */
  private acknowledgeDemoDomainFindings(): void {
    const domain = this.sync.createdDomain;
    if (!domain) return;
    Validations.of(domain).acknowledge(
      {
        id: 'AwsSolutions-OS1',
        reason:
          'Demo domain has a public endpoint; its access policy admits only the indexer role with SigV4-signed requests. Production: pass `vpc`.',
      },
      {
        id: 'AwsSolutions-OS4',
        reason:
          'Demo domain is a single t3 data node; dedicated master nodes triple its cost. Production: keep the construct default (3 masters).',
      },
      {
        id: 'AwsSolutions-OS7',
        reason:
          'Demo domain is a single node, so there is no second zone to spread over. Production: keep the construct default (3 zones).',
      },
    );
  }

  private addOutputs(): void {
    const outputs: Record<string, string> = {
      TableName: this.sync.table.tableName,
      DomainEndpoint: this.sync.domain.domainEndpoint,
      ArchiveBucketName: this.sync.archiveBucket.bucketName,
      OnFailureQueueUrl: this.sync.onFailureQueue.queueUrl,
      DeadLetterQueueUrl: this.sync.deadLetterQueue.queueUrl,
      UnprocessableQueueUrl: this.sync.unprocessableQueue.queueUrl,
      DashboardName: this.sync.dashboard.dashboardName,
      AlarmTopicArn: this.alarmTopic.topicArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
