import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildInfra, synthesizeInfra } from '../helpers/factories';

/** Unacknowledged AwsSolutions findings (errors and warnings), as `rule @ path`. */
function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
  );
}

describe('cdk-nag AwsSolutions on the app', () => {
  it('finds no unacknowledged error or warning', () => {
    // given: synthesized, as the plugin sees it (the construct acknowledges IAM5 once references are resolved)
    const { stage } = synthesizeInfra();

    // when
    const findings = nagFindings(stage);

    // then
    expect(findings).toEqual([]);
  });

  it('runs at synth: the app refuses to synthesize an unacknowledged finding', () => {
    // given
    const { app, stack } = buildInfra({}, {});
    new sqs.Queue(stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED, enforceSSL: true });

    // when
    const synthesize = () => app.synth();

    // then
    expect(synthesize).toThrow(/AwsSolutions-SQS2/);
  });

  it('acknowledges every finding with a written reason', () => {
    // given
    const { stage } = buildInfra();

    // when
    const acknowledgments = stage.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));

    // then
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgments) {
      expect(id).toMatch(/AwsSolutions-/);
      expect(reason.length).toBeGreaterThan(30);
    }
  });
});
