import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names its findings
 * (`{"Fn::GetAtt":["Bucket","Arn"]}` + `/*` → `<Bucket.Arn>/*`), so an acknowledgment names exactly one finding.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const node = value as Record<string, unknown>;
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub'] !== undefined) return flattenReference(node['Fn::Sub']);
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue'] !== undefined) return flattenReference(node['Fn::ImportValue']);
  if (node['Ref'] !== undefined) return `<${flattenReference(node['Ref'])}>`;
  return JSON.stringify(value);
}

/** The cdk-nag IAM5 finding id for a wildcard resource string (which may hold tokens). */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges cdk-nag findings on a construct and everything below it, each with its reason. */
export function acknowledge(scope: IConstruct, findings: ReadonlyArray<{ readonly id: string; readonly reason: string }>): void {
  Validations.of(scope).acknowledge(...findings);
}

/** A finding to acknowledge and why. */
export interface Acknowledgment {
  readonly id: string;
  readonly reason: string;
}

/**
 * Runs `acknowledgments` once, when the app is validated: after CDK has resolved cross-stack references (a
 * domain from another stack becomes `Fn::ImportValue`) and after every statement has been added, so each id names
 * the finding cdk-nag reports in the synthesized template.
 */
function acknowledgeAtValidation(role: iam.Role, acknowledgments: (policy: iam.Policy) => readonly Acknowledgment[]): void {
  let acknowledged = false;
  role.node.addValidation({
    validate: () => {
      const policy = role.node.tryFindChild('DefaultPolicy');
      if (!acknowledged && policy instanceof iam.Policy) {
        acknowledged = true;
        const findings = acknowledgments(policy);
        // On the policy, not the role: the narrowest construct holding the finding.
        if (findings.length > 0) acknowledge(policy, findings);
      }
      return [];
    },
  });
}

/** Acknowledges, in the default policy of `role`, the IAM5 finding of one wildcard resource string (e.g. `<domainArn>/*`), however it resolves. */
export function acknowledgeWildcardResource(role: iam.Role, resource: string, reason: string): void {
  acknowledgeAtValidation(role, () => [{ id: wildcardResourceFinding(role, resource), reason }]);
}

/**
 * Acknowledges `Resource: "*"` in the default policy of `role` only when every action granted on `"*"` there is
 * one of `expected` (action → why it has no resource-level permissions). A wildcard added later for any other
 * action stays unacknowledged and cdk-nag reports it.
 */
export function acknowledgeUnscopedActions(role: iam.Role, expected: Readonly<Record<string, string>>): void {
  acknowledgeAtValidation(role, (policy) => {
    const actions = unscopedActionsOf(Stack.of(role).resolve(policy.document.toJSON()));
    if (actions.length === 0 || actions.some((action) => expected[action] === undefined)) return [];
    const reasons = [...new Set(actions.map((action) => expected[action]))];
    return [{ id: 'AwsSolutions-IAM5[Resource::*]', reason: `Resource "*" only for ${actions.join(', ')}: ${reasons.join(' ')}` }];
  });
}

interface ResolvedStatement {
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

function unscopedActionsOf(document: { readonly Statement?: readonly ResolvedStatement[] } | undefined): string[] {
  const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  const actions = (document?.Statement ?? [])
    .filter((statement) => asList(statement.Resource).includes('*'))
    .flatMap((statement) => asList(statement.Action));
  return [...new Set(actions)].sort();
}
