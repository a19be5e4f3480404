import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Stack } from 'aws-cdk-lib';
import { synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

/** Unacknowledged AwsSolutions findings (errors and warnings) of a stack, as `rule @ path`. */
function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
  );
}

/** Every acknowledged rule id in the stack (CDK stores them as `Annotation::<id>`). */
function acknowledgedIds(stack: Stack): string[] {
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((id) => id.replace(/^Annotation::/, ''));
}

/** What a consumer decides on for the default definition's domain (one t3 node, public endpoint): not acknowledged by the construct. */
const oneNodePublicDomainFindings = ['AwsSolutions-OS1', 'AwsSolutions-OS4', 'AwsSolutions-OS7'].map(
  (rule) => `${rule} @ TestStack/Sync/Domain/Resource`,
);

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged when the domain is in a VPC', () => {
    // given
    const { stack } = synthesizeSync((s) => ({
      vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, flowLogs: { all: {} } }),
      domainProps: { capacity: { masterNodes: 3, masterNodeInstanceType: 'm7g.large.search' } },
      tracing: lambda.Tracing.ACTIVE,
    }));

    // when
    const findings = nagFindings(stack);

    // then
    expect(findings).toEqual([]);
  });

  it("leaves the public endpoint (OS1) and the definition's one-node domain (OS4, OS7) to the consumer", () => {
    // given
    const { stack } = synthesizeDefaultSync();

    // when
    const findings = nagFindings(stack);

    // then
    expect(findings).toEqual(oneNodePublicDomainFindings);
  });

  it('acknowledges L1 only while the runtime is not the newest: with nodejs24.x nothing is acknowledged and nothing found', () => {
    // given
    const { stack } = synthesizeSync({ runtime: lambda.Runtime.NODEJS_24_X });

    // when
    const findings = nagFindings(stack);

    // then
    expect(findings).toEqual(oneNodePublicDomainFindings);
    expect(acknowledgedIds(stack).filter((id) => id === 'AwsSolutions-L1')).toEqual([]);
  });

  it('writes no dead acknowledgment for the access-log bucket: cdk-nag does not flag a log-destination bucket (S1)', () => {
    // given
    const { stack, sync } = synthesizeDefaultSync();

    // when
    const findings = nagFindings(stack);

    // then
    expect(findings.filter((finding) => finding.includes('AccessLogsBucket'))).toEqual([]);
    const acknowledged = sync.accessLogsBucket.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
    expect(acknowledged.filter((id) => id.includes('AwsSolutions'))).toEqual([]);
  });

  it('acknowledges each wildcard on the policy that holds it, naming its actions', () => {
    // given
    const { stack } = synthesizeSync((s) => ({ vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2 }), tracing: lambda.Tracing.ACTIVE }));

    // when
    const acknowledgments = stack.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
          .map((entry) => ({ path: construct.node.path, data: entry.data as Record<string, string> })),
      );

    // then
    const unscoped = acknowledgments.filter(({ data }) => Object.keys(data).some((id) => id.endsWith('AwsSolutions-IAM5[Resource::*]')));
    expect(unscoped.map(({ path }) => path).sort()).toEqual([
      'TestStack/Sync/FailureHandlerRole/DefaultPolicy',
      'TestStack/Sync/IndexerRole/DefaultPolicy',
    ]);
    const indexerReason = Object.values(unscoped.find(({ path }) => path.includes('IndexerRole'))?.data ?? {}).join(' ');
    expect(indexerReason).toMatch(
      /^Resource "\*" only for dynamodb:ListStreams, ec2:AssignPrivateIpAddresses, .*xray:PutTelemetryRecords, xray:PutTraceSegments:/,
    );
  });
});
