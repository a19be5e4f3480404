import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Stack } from 'aws-cdk-lib';
import { synthesizeDefaultSync, synthesizeSync } from './helpers/factories';

/** Unacknowledged AwsSolutions findings (errors and warnings) of a stack, as `rule @ path`. */
function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`));
}

/** Every acknowledged rule id in the stack (CDK stores them as `Annotation::<id>`). */
function acknowledgedIds(stack: Stack): string[] {
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((id) => id.replace(/^Annotation::/, ''));
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged when the domain is in a VPC', () => {
    // given
    const { stack } = synthesizeSync((s) => ({
      vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, flowLogs: { all: {} } }),
      domainProps: { zoneAwareness: { enabled: true, availabilityZoneCount: 2 } },
      tracing: lambda.Tracing.ACTIVE,
    }));

    // when
    const findings = nagFindings(stack);

    // then
    expect(findings).toEqual([]);
  });

  it("leaves only the domain's VPC placement (OS1) to the consumer for a public-endpoint domain", () => {
    // given
    const { stack } = synthesizeDefaultSync();

    // when
    const findings = nagFindings(stack);

    // then
    expect(findings).toEqual(['AwsSolutions-OS1 @ TestStack/Sync/Domain/Resource']);
  });

  it('acknowledges L1 only while the runtime is not the newest: with nodejs24.x nothing is acknowledged and nothing found', () => {
    // given
    const { stack } = synthesizeSync({ runtime: lambda.Runtime.NODEJS_24_X });

    // when
    const findings = nagFindings(stack);

    // then
    expect(findings).toEqual(['AwsSolutions-OS1 @ TestStack/Sync/Domain/Resource']);
    expect(acknowledgedIds(stack).filter((id) => id === 'AwsSolutions-L1')).toEqual([]);
  });
});
