import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { alarmFactory } from './monitoring';
import type { DomainAlarms } from './types';

/** AWS's recommended FreeStorageSpace threshold when the node volume is unknown: 20 GiB, in MiB. */
export const DEFAULT_FREE_STORAGE_THRESHOLD_MIB = 20_480;
/** AWS recommends alarming at 25% of each node's storage. */
const FREE_STORAGE_SHARE = 0.25;

/** The FreeStorageSpace threshold (MiB): 25% of the created domain's per-node EBS volume, else AWS's 20 GiB. */
export function freeStorageThresholdMiB(domainProps: opensearch.DomainProps | undefined): number {
  const volumeGiB = domainProps?.ebs?.enabled === false ? undefined : domainProps?.ebs?.volumeSize;
  if (volumeGiB === undefined || Token.isUnresolved(volumeGiB)) return DEFAULT_FREE_STORAGE_THRESHOLD_MIB;
  return Math.round(volumeGiB * 1024 * FREE_STORAGE_SHARE);
}

/**
 * The cluster alarms AWS recommends for OpenSearch Service (cloudwatch-alarms.html): red and yellow status, free
 * storage, blocked index writes, JVM memory pressure. Missing data (no domain metrics yet) is not a breach.
 */
export function createDomainAlarms(
  scope: Construct,
  targets: { readonly domain: opensearch.IDomain; readonly freeStorageThresholdMiB: number; readonly alarmTopic: sns.ITopic | undefined },
): DomainAlarms {
  const oneMinute = (statistic: string) => ({ period: Duration.minutes(1), statistic });
  const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  const alarm = alarmFactory(scope, targets.alarmTopic);
  const { domain } = targets;
  return {
    clusterStatusRed: alarm('DomainClusterStatusRedAlarm', {
      metric: domain.metricClusterStatusRed(oneMinute(cloudwatch.Stats.MAXIMUM)),
      threshold: 1,
      evaluationPeriods: 1,
      comparison: atLeast,
      description:
        'A primary shard and its replicas are unassigned (cluster red): writes to those indexes fail and are retried, then dead-lettered.',
    }),
    clusterStatusYellow: alarm('DomainClusterStatusYellowAlarm', {
      metric: domain.metricClusterStatusYellow(oneMinute(cloudwatch.Stats.MAXIMUM)),
      threshold: 1,
      evaluationPeriods: 5,
      comparison: atLeast,
      description: 'A replica shard has been unassigned for 5 minutes (cluster yellow): one more node loss can lose data.',
    }),
    freeStorageSpace: alarm('DomainFreeStorageSpaceAlarm', {
      metric: domain.metricFreeStorageSpace(oneMinute(cloudwatch.Stats.MINIMUM)),
      threshold: targets.freeStorageThresholdMiB,
      evaluationPeriods: 1,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `A data node is down to ${targets.freeStorageThresholdMiB} MiB of free storage: add storage before the cluster blocks writes.`,
    }),
    indexWritesBlocked: alarm('DomainIndexWritesBlockedAlarm', {
      metric: domain.metricClusterIndexWritesBlocked({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparison: atLeast,
      description:
        'The cluster blocks index writes (ClusterBlockException): every batch fails until storage or memory is freed; lag grows.',
    }),
    jvmMemoryPressure: alarm('DomainJvmMemoryPressureAlarm', {
      metric: domain.metricJVMMemoryPressure(oneMinute(cloudwatch.Stats.MAXIMUM)),
      threshold: 95,
      evaluationPeriods: 3,
      comparison: atLeast,
      description: 'JVM memory pressure is 95% or more for 3 minutes: the cluster may hit out-of-memory errors; scale the data nodes up.',
    }),
  };
}
