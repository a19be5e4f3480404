import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { DynamoDbToOpenSearch, SyncArchive, type DynamoDbToOpenSearchProps } from '@ddb-os/cdk-construct';
import { defineSyncs, type ResolvedSync, type Syncs } from '@ddb-os/sync-definition';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';

/** The construct accepts the buffered-mode bundle paths only in buffered mode, where the writer replaces the indexer. */
function codeOfMode(
  config: InfraConfig,
  sync: ResolvedSync,
): Pick<DynamoDbToOpenSearchProps, 'indexerCodePath' | 'failureHandlerCodePath' | 'streamReaderCodePath' | 'writerCodePath'> {
  const failureHandler = { failureHandlerCodePath: config.failureHandlerCodePath };
  if (sync.mode === 'direct') return { ...failureHandler, indexerCodePath: config.indexerCodePath };
  return { ...failureHandler, streamReaderCodePath: config.streamReaderCodePath, writerCodePath: config.writerCodePath };
}

/** `orders-eu` → `OrdersEu`: a sync's name as the prefix of its stack outputs (alphanumeric). */
export function outputPrefixOf(syncName: string): string {
  return syncName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export interface DynamoDbOpenSearchSyncStackProps extends StackProps {
  readonly config: InfraConfig;
  /** Every sync of the definition, each deployed by its own construct in this stack. */
  readonly syncs: Syncs;
}

/**
 * Every sync of the workspace's definition, one `DynamoDbToOpenSearch` each, sharing what one deployment needs once:
 * the alarm topic and its KMS key, the dashboard, and the failure archive (each sync writes under its own table's
 * prefix, with its own lifecycle rule and permissions). One stack, so one `infra:deploy` changes all syncs together
 * and nothing shared has to be exported across stacks.
 */
export class DynamoDbOpenSearchSyncStack extends Stack {
  /** The deployed syncs, by name. */
  public readonly syncs: ReadonlyMap<string, DynamoDbToOpenSearch>;
  public readonly alarmTopic: sns.Topic;
  public readonly archive: SyncArchive;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DynamoDbOpenSearchSyncStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.alarmTopic = this.createAlarmTopic(config.alarmEmail);
    this.archive = new SyncArchive(this, 'Archive');
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${config.stage}-syncs` });
    const deployed = new Map<string, DynamoDbToOpenSearch>();
    for (const sync of validatedTogether(props.syncs)) {
      const construct = new DynamoDbToOpenSearch(this, sync.name, {
        sync,
        serviceName: `${config.stage}-${sync.name}`,
        alarmTopic: this.alarmTopic,
        archive: this.archive,
        dashboard: this.dashboard,
        ...codeOfMode(config, sync),
      });
      deployed.set(sync.name, construct);
      if (construct.createdDomain) acknowledgeDeclaredDomainFindings(construct.createdDomain, sync);
      this.addSyncOutputs(construct);
    }
    this.syncs = deployed;
    this.addSharedOutputs();
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

  /** What operators need per sync; `WritersRoleArn` is the role an existing domain's access policy must admit. */
  private addSyncOutputs(sync: DynamoDbToOpenSearch): void {
    const prefix = outputPrefixOf(sync.syncName);
    const outputs: Record<string, string> = {
      TableName: sync.table.tableName,
      DomainEndpoint: sync.domain.domainEndpoint,
      WritersRoleArn: sync.indexerRole.roleArn,
      OnFailureQueueUrl: sync.onFailureQueue.queueUrl,
      DeadLetterQueueUrl: sync.deadLetterQueue.queueUrl,
      UnprocessableQueueUrl: sync.unprocessableQueue.queueUrl,
    };
    for (const [name, value] of Object.entries(outputs))
      new CfnOutput(this, `${prefix}${name}`, { value, description: `sync "${sync.syncName}": ${name}` });
  }

  private addSharedOutputs(): void {
    const outputs: Record<string, string> = {
      ArchiveBucketName: this.archive.archiveBucket.bucketName,
      DashboardName: this.dashboard.dashboardName,
      AlarmTopicArn: this.alarmTopic.topicArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}

/**
 * The syncs validated again as one definition by `defineSyncs`, as the Lambdas' bundle does when it loads: a sync
 * changed after validation is refused with the cold start's words (its position in the definition included), and the
 * checks across syncs (one sync per table, one writer per index) hold for what is deployed.
 */
function validatedTogether(syncs: Syncs): readonly ResolvedSync[] {
  return defineSyncs({ syncs: syncs.all().map((sync) => sync.definition) }).all();
}

/**
 * The trade-offs a definition's `domain.create` makes for a created domain, acknowledged only where the template
 * has them, each saying what the definition declared and how to change it.
 */
function acknowledgeDeclaredDomainFindings(domain: opensearch.Domain, sync: ResolvedSync): void {
  const resource = domain.node.defaultChild as opensearch.CfnDomain;
  const cluster = Stack.of(domain).resolve(resource.clusterConfig) as {
    instanceCount?: number;
    instanceType?: string;
    dedicatedMasterEnabled?: boolean;
    zoneAwarenessEnabled?: boolean;
  };
  const declared = `sync "${sync.name}" declares domain.create with ${cluster.instanceCount ?? 1} × ${cluster.instanceType ?? 'default'} data node(s)`;
  const findings = [
    {
      applies: resource.vpcOptions === undefined,
      id: 'AwsSolutions-OS1',
      reason: `${declared} and a public endpoint; its access policy admits only the sync's writer role with SigV4-signed requests. For a VPC, deploy the construct with its "vpc" prop.`,
    },
    {
      applies: cluster.dedicatedMasterEnabled !== true,
      id: 'AwsSolutions-OS4',
      reason: `${declared} and no dedicated masters (the definition sizes data nodes only; masters triple a small domain's cost). For masters, deploy the construct with domainProps.capacity.`,
    },
    {
      applies: cluster.zoneAwarenessEnabled !== true,
      id: 'AwsSolutions-OS7',
      reason: `${declared}: a single node (or an odd count) has no second zone to spread over. Declare dataNodes as a multiple of 2 or 3 for zone awareness.`,
    },
  ];
  const applying = findings.filter((finding) => finding.applies).map(({ id, reason }) => ({ id, reason }));
  if (applying.length > 0) Validations.of(domain).acknowledge(...applying);
}
