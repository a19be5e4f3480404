import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';
import { DynamoDbOpenSearchSyncStack } from './dynamodb-opensearch-sync-stack';

export interface SyncStageProps extends StageProps {
  readonly config: InfraConfig;
}

/** One deployable copy of the system (dev, prod, ...): today a single stack. */
export class SyncStage extends Stage {
  public readonly syncStack: DynamoDbOpenSearchSyncStack;

  constructor(scope: Construct, id: string, props: SyncStageProps) {
    super(scope, id, props);
    this.syncStack = new DynamoDbOpenSearchSyncStack(this, 'DynamoDbOpenSearchSync', {
      config: props.config,
      description: 'DynamoDB -> OpenSearch near-real-time sync (demo)',
    });
  }
}
