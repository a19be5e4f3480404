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
});
