import { join } from 'node:path';
import { productSchema, reviewSchema } from '@ddb-os/schemas';
import { defineSyncs, type ResolvedSync, type SyncDefinition } from '@ddb-os/sync-definition';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DynamoDbToOpenSearch, type DynamoDbToOpenSearchProps } from '../../src';

/** Tiny stand-ins for the Lambda bundles, so tests never need `nx run *:bundle`. */
export const fixtureCodePaths = {
  indexerCodePath: join(__dirname, '..', 'fixtures', 'indexer'),
  failureHandlerCodePath: join(__dirname, '..', 'fixtures', 'failure-handler'),
} as const;

/** The products sync: a pk/sk table the deployment creates, a domain it creates, products and reviews routed by schema. */
export function productsDefinition(overrides: Partial<SyncDefinition> = {}): SyncDefinition {
  return {
    name: 'products',
    table: { create: { partitionKey: 'pk', sortKey: 'sk' } },
    domain: { create: {} },
    routes: [
      { index: 'products', schema: productSchema, match: { attribute: 'entityType', equals: 'product' } },
      { index: 'reviews', schema: reviewSchema, match: { attribute: 'sk', prefix: 'REVIEW#' } },
    ],
    ...overrides,
  };
}

/** The definition's part for a table and a domain that exist outside the deployment (by ARN, endpoint and ARN). */
export const existingTableAndDomain = {
  table: {
    existing: {
      arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/catalog',
      streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/catalog/stream/2026-01-01T00:00:00.000',
    },
  },
  domain: {
    existing: {
      endpoint: 'https://search-catalog-abc123.eu-west-1.es.amazonaws.com',
      arn: 'arn:aws:es:eu-west-1:123456789012:domain/catalog',
    },
  },
} as const satisfies Partial<SyncDefinition>;

/** A validated sync of one definition (by default the products sync, changed by `overrides`). */
export function givenSync(overrides: Partial<SyncDefinition> = {}): ResolvedSync {
  const definition = productsDefinition(overrides);
  return defineSyncs({ syncs: [definition] }).named(definition.name);
}

/** Construct props plus changes to the sync's definition. */
export type SyncOverrides = Partial<DynamoDbToOpenSearchProps> & { readonly definition?: Partial<SyncDefinition> };

/** Minimal valid props: the products sync (table and domain created from the definition), fixture bundles. */
export function syncProps({ definition, ...overrides }: SyncOverrides = {}): DynamoDbToOpenSearchProps {
  return { sync: givenSync(definition), ...fixtureCodePaths, ...overrides };
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
  overrides: SyncOverrides | ((stack: Stack) => SyncOverrides) = {},
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
