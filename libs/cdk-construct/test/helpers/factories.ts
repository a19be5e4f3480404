import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoDbToOpenSearch, type DynamoDbToOpenSearchProps, type IndexRoute } from '../../src';

/** Tiny stand-ins for the Lambda bundles, so tests never need `nx run *:bundle`. */
export const fixtureCodePaths = {
  indexerCodePath: join(__dirname, '..', 'fixtures', 'indexer'),
  failureHandlerCodePath: join(__dirname, '..', 'fixtures', 'failure-handler'),
} as const;

export const productRoutes: readonly IndexRoute[] = [
  { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
  { index: 'reviews', schema: 'review', match: { attribute: 'sk', prefix: 'REVIEW#' } },
];

export const pkSkTableProps: dynamodb.TableProps = {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
};

/** Minimal valid props: create the table and a default domain, fixture bundles. */
export function syncProps(overrides: Partial<DynamoDbToOpenSearchProps> = {}): DynamoDbToOpenSearchProps {
  return {
    tableProps: pkSkTableProps,
    domainProps: {},
    indexRoutes: productRoutes,
    ...fixtureCodePaths,
    ...overrides,
  };
}

export function givenStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

export interface Synthesized {
  readonly stack: Stack;
  readonly sync: DynamoDbToOpenSearch;
  readonly template: Template;
}

/** Builds the construct in a fresh stack (optionally prepared by `given`) and synthesizes it. */
export function synthesizeSync(
  overrides: Partial<DynamoDbToOpenSearchProps> | ((stack: Stack) => Partial<DynamoDbToOpenSearchProps>) = {},
  stack: Stack = givenStack(),
): Synthesized {
  const extra = typeof overrides === 'function' ? overrides(stack) : overrides;
  const sync = new DynamoDbToOpenSearch(stack, 'Sync', syncProps(extra));
  return { stack, sync, template: Template.fromStack(stack) };
}

/** A policy statement with its resources flattened to readable strings (`<LogicalId.Attr>`), for exact comparison. */
export interface ReadableStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

function readable(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [string, string];
    return `<${resource.replace(/[0-9A-F]{8}$/, '')}.${attribute}>`;
  }
  if (node['Ref']) return `<${String(node['Ref']).replace(/[0-9A-F]{8}$/, '')}>`;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(readable).join(delimiter);
  }
  return JSON.stringify(value);
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The statements of the inline policy attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOfRole(template: Template, rolePrefix: string): ReadableStatement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy['Properties'].Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(rolePrefix)),
  );
  return policies.flatMap((policy) =>
    (policy['Properties'].PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>).map((statement) => ({
      actions: asList(statement.Action).sort(),
      resources: asList(statement.Resource).map(readable),
    })),
  );
}

/** Every action of every inline policy in the template. */
export function allPolicyActions(template: Template): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy['Properties'].PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((statement) =>
      asList(statement.Action),
    ),
  );
}

let defaultSynthesis: Synthesized | undefined;

/** The construct with default props, synthesized once per test file (templates are only read). */
export function synthesizeDefaultSync(): Synthesized {
  defaultSynthesis ??= synthesizeSync();
  return defaultSynthesis;
}
