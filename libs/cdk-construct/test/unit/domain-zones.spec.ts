import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DynamoDbToOpenSearch, InvalidPropError } from '../../src';
import { syncProps, synthesizeSync } from '../helpers/factories';

/** A stack with no account or region: its VPC gets 2 zones (Fn::GetAZs), as in a team's environment-agnostic app. */
function accountlessStack(): Stack {
  return new Stack(new App(), 'AgnosticStack');
}

describe('created domain in a VPC: zones follow the subnets', () => {
  it('sizes the default domain to the 2 zones of an account-less VPC instead of failing synth', () => {
    // given
    const stack = accountlessStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });

    // when
    new DynamoDbToOpenSearch(stack, 'Sync', syncProps({ vpc }));

    // then
    Template.fromStack(stack).hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({ ZoneAwarenessEnabled: true, ZoneAwarenessConfig: { AvailabilityZoneCount: 2 }, InstanceCount: 2 }),
      VPCOptions: { SubnetIds: [Match.anyValue(), Match.anyValue()], SecurityGroupIds: Match.anyValue() },
    });
  });

  it('keeps 3 zones and 3 data nodes when the subnets span 3 zones', () => {
    // given / when
    const { template } = synthesizeSync((stack) => ({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 }) }));

    // then
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({ ZoneAwarenessConfig: { AvailabilityZoneCount: 3 }, InstanceCount: 3 }),
    });
  });

  it('refuses subnets in a single zone with a prop error naming the way out', () => {
    // given
    const build = () => {
      const stack = accountlessStack();
      new DynamoDbToOpenSearch(stack, 'Sync', syncProps({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 }) }));
    };

    // when / then
    expect(build).toThrow(InvalidPropError);
    expect(build).toThrow(/"vpc": the selected subnets span 1 availability zone\(s\).*domainProps\.zoneAwareness/);
  });

  it('refuses a zone count that differs from the subnets, naming domainProps.zoneAwareness', () => {
    // given
    const stack = accountlessStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });

    // when
    const build = () =>
      new DynamoDbToOpenSearch(
        stack,
        'Sync',
        syncProps({ vpc, domainProps: { zoneAwareness: { enabled: true, availabilityZoneCount: 3 } } }),
      );

    // then
    expect(build).toThrow(/"domainProps\.zoneAwareness": uses 3 availability zone\(s\) but the selected subnets \(vpcSubnets\) span 2/);
  });

  it('refuses a data-node count that zones cannot share evenly', () => {
    // given / when
    const build = () =>
      synthesizeSync({
        domainProps: { zoneAwareness: { enabled: true, availabilityZoneCount: 2 } },
        definition: { domain: { create: { dataNodes: 3 } } },
      });

    // then
    expect(build).toThrow(/"sync": domain\.create\.dataNodes: must be a multiple of the 2 availability zones the domain uses, got 3/);
  });

  it('spreads the data nodes the definition declares over the zones they allow outside a VPC (3, 2 or none)', () => {
    // given / when
    const zonesOf = (dataNodes: number) =>
      Object.values(
        synthesizeSync({ definition: { domain: { create: { dataNodes } } } }).template.findResources('AWS::OpenSearchService::Domain'),
      )[0]?.['Properties'].ClusterConfig;

    // then
    expect(zonesOf(6)).toMatchObject({ InstanceCount: 6, ZoneAwarenessEnabled: true, ZoneAwarenessConfig: { AvailabilityZoneCount: 3 } });
    expect(zonesOf(4)).toMatchObject({ InstanceCount: 4, ZoneAwarenessEnabled: true, ZoneAwarenessConfig: { AvailabilityZoneCount: 2 } });
    expect(zonesOf(1)).toMatchObject({ InstanceCount: 1, ZoneAwarenessEnabled: false });
  });
});

describe('created domain: engine version changes', () => {
  it('upgrade in place (EnableVersionUpgrade), since the domain name is fixed', () => {
    // given / when
    const { template } = synthesizeSync();

    // then
    template.hasResource('AWS::OpenSearchService::Domain', { UpdatePolicy: { EnableVersionUpgrade: true } });
  });

  it('cannot be turned into replacements', () => {
    // given / when / then
    expect(() => synthesizeSync({ domainProps: { enableVersionUpgrade: false } })).toThrow(/"domainProps\.enableVersionUpgrade"/);
  });
});
