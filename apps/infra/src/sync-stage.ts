import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Syncs } from '@ddb-os/sync-definition';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';
import { DynamoDbOpenSearchSyncStack } from './dynamodb-opensearch-sync-stack';

/** Construct id of the sync stack; CDK names it `<stage>-DynamoDbOpenSearchSync`. */
export const SYNC_STACK_ID = 'DynamoDbOpenSearchSync';

/** The CloudFormation stack name of a stage's sync stack. */
export function syncStackName(stage: string): string {
  return `${stage}-${SYNC_STACK_ID}`;
}

export interface SyncStageProps extends StageProps {
  readonly config: InfraConfig;
  readonly syncs: Syncs;
}

/** One deployable copy of the system (dev, prod, ...): one stack holding every sync of the definition. */
export class SyncStage extends Stage {
  public readonly syncStack: DynamoDbOpenSearchSyncStack;

  constructor(scope: Construct, id: string, props: SyncStageProps) {
    super(scope, id, props);
    this.syncStack = new DynamoDbOpenSearchSyncStack(this, SYNC_STACK_ID, {
      config: props.config,
      syncs: props.syncs,
      description: `DynamoDB -> OpenSearch near-real-time sync: ${props.syncs.names.join(', ')}`,
    });
  }
}
