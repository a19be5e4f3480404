import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { InvalidPropError } from './errors';
import type { SyncDomainProps } from './types';

/** OpenSearch spreads a zone-aware domain over 2 or 3 zones. */
const ZONE_COUNTS = [2, 3];

/**
 * The zone awareness of the created domain: the given one, else the widest the definition's data nodes allow (3 zones
 * for a multiple of 3 nodes, 2 for an even count, none otherwise). In a VPC it follows the subnets the domain is placed in
 * (OpenSearch wants one subnet per zone used), so a VPC with 2 zones gets a 2-zone domain instead of CDK's
 * "provide a subnet for each AZ" at synth. Throws a prop error for layouts OpenSearch refuses.
 */
export function zoneAwarenessFor(
  vpc: ec2.IVpc | undefined,
  vpcSubnets: ec2.SubnetSelection | undefined,
  domainProps: SyncDomainProps,
  dataNodes: number | undefined,
): opensearch.ZoneAwarenessConfig {
  if (vpc === undefined) return domainProps.zoneAwareness ?? zoneAwarenessOfNodes(dataNodes ?? 1);
  const subnets = vpc.selectSubnets(vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets;
  const zones = new Set(subnets.map((subnet) => subnet.availabilityZone)).size;
  if (subnets.length !== zones) {
    throw new InvalidPropError(
      'vpcSubnets',
      `the domain needs exactly one subnet per availability zone, got ${subnets.length} subnets in ${zones} zones: add onePerAz: true`,
    );
  }
  if (domainProps.zoneAwareness !== undefined) {
    requireZonesMatchSubnets(domainProps.zoneAwareness, zones);
    return domainProps.zoneAwareness;
  }
  if (!ZONE_COUNTS.includes(zones)) {
    throw new InvalidPropError(
      'vpc',
      `the selected subnets span ${zones} availability zone(s); the default domain is zone-aware over 2-3 zones: ` +
        `select subnets in 2 or 3 zones (vpcSubnets), or set domainProps.zoneAwareness (e.g. { enabled: false } with one subnet) and domainProps.capacity`,
    );
  }
  return { enabled: true, availabilityZoneCount: zones };
}

function zoneAwarenessOfNodes(dataNodes: number): opensearch.ZoneAwarenessConfig {
  const zones = [...ZONE_COUNTS].reverse().find((count) => dataNodes % count === 0);
  return zones === undefined ? { enabled: false } : { enabled: true, availabilityZoneCount: zones };
}

/** The data-node count when the definition gives none: one per zone used (OpenSearch wants a multiple of the zone count), else 1. */
export function defaultDataNodes(zoneAwareness: opensearch.ZoneAwarenessConfig): number {
  const { enabled, zones } = zonesOf(zoneAwareness);
  return enabled && !Token.isUnresolved(zones) ? zones : 1;
}

function zonesOf(zoneAwareness: opensearch.ZoneAwarenessConfig | undefined): { readonly enabled: boolean; readonly zones: number } {
  // CDK's reading of the same props: enabled when a count is given, 2 zones by default.
  const enabled = zoneAwareness?.enabled ?? zoneAwareness?.availabilityZoneCount !== undefined;
  return { enabled, zones: enabled ? (zoneAwareness?.availabilityZoneCount ?? 2) : 1 };
}

function requireZonesMatchSubnets(given: opensearch.ZoneAwarenessConfig, zones: number): void {
  const wanted = zonesOf(given).zones;
  if (!Token.isUnresolved(wanted) && wanted !== zones) {
    throw new InvalidPropError(
      'domainProps.zoneAwareness',
      `uses ${wanted} availability zone(s) but the selected subnets (vpcSubnets) span ${zones}: OpenSearch wants one subnet per zone used`,
    );
  }
}

/** Zone-aware domains need a data-node count that is a multiple of the zone count. */
export function requireDataNodesFitZones(domainProps: opensearch.DomainProps): void {
  const { enabled, zones } = zonesOf(domainProps.zoneAwareness);
  const dataNodes = domainProps.capacity?.dataNodes ?? 1;
  if (!enabled || Token.isUnresolved(zones) || Token.isUnresolved(dataNodes)) return;
  if (dataNodes % zones !== 0) {
    throw new InvalidPropError(
      'sync',
      `domain.create.dataNodes: must be a multiple of the ${zones} availability zones the domain uses, got ${dataNodes}`,
    );
  }
}
