import type { CreatedDomainDefinition, ResolvedSync } from '@ddb-os/sync-definition';
import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { Construct } from 'constructs';
import { INDEXER_DOMAIN_ACTIONS } from './constants';
import { defaultDataNodes, requireDataNodesFitZones, zoneAwarenessFor } from './domain-zones';
import { InvalidPropError } from './errors';
import type { DynamoDbToOpenSearchProps, SyncDomainProps } from './types';

/** The domain the indexer writes to; `created` is set when the construct made it. */
export interface DomainSource {
  readonly domain: opensearch.IDomain;
  readonly created: CreatedDomain | undefined;
}

/** A domain the construct created, with what grants and alarms need to know about it. */
export interface CreatedDomain {
  readonly domain: opensearch.Domain;
  /** The props it was created with (defaults included). */
  readonly props: opensearch.DomainProps;
  /** Its access policy, written on the resource: a statement added here reaches the domain. */
  readonly accessPolicy: iam.PolicyDocument;
  /** `<domain ARN>/*`, built from the name (the domain's own ARN attribute cannot appear in its properties). */
  readonly indexPathsArn: string;
}

/**
 * The definition's domain: imported from `domain.existing` (endpoint + ARN; its access policy belongs to its owner),
 * or created from `domain.create` with an access policy admitting only `indexerRole`. Any other shape (Serverless) has
 * been refused by the definition's validator, and is refused here too rather than deployed some other way.
 */
export function resolveDomainSource(
  scope: Construct,
  sync: ResolvedSync,
  props: DynamoDbToOpenSearchProps,
  indexerRole: iam.IRole,
): DomainSource {
  const definition = sync.definition.domain;
  if ('existing' in definition) {
    if (props.domainProps !== undefined) {
      throw new InvalidPropError('domainProps', `applies to a domain the definition creates; sync "${sync.name}" uses an existing domain`);
    }
    const { endpoint, arn } = definition.existing;
    if (new URL(endpoint).protocol !== 'https:') {
      throw new InvalidPropError(
        'sync',
        `sync "${sync.name}" domain.existing.endpoint: a deployed sync signs its requests (SigV4) over HTTPS, got ${endpoint}`,
      );
    }
    return {
      domain: opensearch.Domain.fromDomainAttributes(scope, 'Domain', { domainArn: arn, domainEndpoint: endpoint }),
      created: undefined,
    };
  }
  if (!('create' in definition)) {
    throw new InvalidPropError('sync', `sync "${sync.name}" domain: only { create } and { existing } domains can be deployed`);
  }
  const created = createDomain(scope, props, definition, props.domainProps ?? {}, indexerRole);
  return { domain: created.domain, created };
}

function createDomain(
  scope: Construct,
  props: DynamoDbToOpenSearchProps,
  { create }: CreatedDomainDefinition,
  domainProps: SyncDomainProps,
  indexerRole: iam.IRole,
): CreatedDomain {
  validateDomainProps(domainProps);
  const domainName = domainProps.domainName ?? generatedDomainName(scope);
  const zoneAwareness = zoneAwarenessFor(props.vpc, props.vpcSubnets, domainProps, create.dataNodes);
  const defaults = secureDomainDefaults(zoneAwareness);
  const resolvedProps: opensearch.DomainProps = {
    ...defaults,
    ...domainProps,
    // The definition's own fields always win: it is the one place they are declared.
    capacity: {
      ...defaults.capacity,
      ...domainProps.capacity,
      dataNodes: create.dataNodes ?? defaultDataNodes(zoneAwareness),
      dataNodeInstanceType: create.instanceType ?? DEFINITION_DOMAIN_DEFAULTS.instanceType,
    },
    ebs: { ...defaults.ebs, ...domainProps.ebs, volumeSize: create.volumeGiB ?? DEFINITION_DOMAIN_DEFAULTS.volumeGiB },
    removalPolicy: create.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  };
  requireDataNodesFitZones(resolvedProps);
  const domain = new opensearch.Domain(scope, 'Domain', {
    ...resolvedProps,
    domainName,
    vpc: props.vpc,
    vpcSubnets: props.vpc && props.vpcSubnets ? [props.vpcSubnets] : undefined,
    // The construct writes a native logs resource policy instead of CDK's custom resource.
    suppressLogsResourcePolicy: true,
  });
  const domainArnFromName = Stack.of(scope).formatArn({ service: 'es', resource: 'domain', resourceName: domainName });
  const indexPathsArn = `${domainArnFromName}/*`;
  const accessPolicy = setAccessPolicy(domain, indexPathsArn, indexerRole);
  allowLogPublishing(scope, domain, domainArnFromName);
  return { domain, props: resolvedProps, accessPolicy, indexPathsArn };
}

/** What `domain.create` defaults to (documented on `CreatedDomainDefinition`). */
const DEFINITION_DOMAIN_DEFAULTS = { instanceType: 't3.small.search', volumeGiB: 10 } as const;

/**
 * Secure defaults; every key can be replaced through `domainProps`. No dedicated masters (the definition declares
 * data nodes only: add them with `domainProps.capacity`). In a VPC the zones (and the default data-node count)
 * follow the subnets. Version upgrades happen in place: the domain name is fixed, so a replacement could not be
 * created beside the old domain.
 */
function secureDomainDefaults(zoneAwareness: opensearch.ZoneAwarenessConfig): opensearch.DomainProps {
  return {
    version: opensearch.EngineVersion.OPENSEARCH_2_19,
    enableVersionUpgrade: true,
    capacity: { multiAzWithStandbyEnabled: false },
    zoneAwareness,
    ebs: { volumeType: ec2.EbsDeviceVolumeType.GP3 },
    encryptionAtRest: { enabled: true },
    nodeToNodeEncryption: true,
    enforceHttps: true,
    tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
    logging: { slowSearchLogEnabled: true, slowIndexLogEnabled: true, appLogEnabled: true },
  };
}

function validateDomainProps(domainProps: SyncDomainProps): void {
  const version = domainProps.version?.version;
  if (version !== undefined && !/^OpenSearch_([2-9]|\d{2,})\./.test(version)) {
    throw new InvalidPropError('domainProps.version', `must be OpenSearch 2.x or later, got ${version}`);
  }
  if (domainProps.encryptionAtRest?.enabled === false) {
    throw new InvalidPropError('domainProps.encryptionAtRest', 'encryption at rest cannot be turned off');
  }
  if (domainProps.nodeToNodeEncryption === false) {
    throw new InvalidPropError('domainProps.nodeToNodeEncryption', 'node-to-node encryption cannot be turned off');
  }
  if (domainProps.enforceHttps === false) {
    throw new InvalidPropError('domainProps.enforceHttps', 'HTTPS cannot be turned off');
  }
  if (domainProps.tlsSecurityPolicy === opensearch.TLSSecurityPolicy.TLS_1_0) {
    throw new InvalidPropError('domainProps.tlsSecurityPolicy', 'must require TLS 1.2 or later');
  }
  if (domainProps.enableVersionUpgrade === false) {
    throw new InvalidPropError(
      'domainProps.enableVersionUpgrade',
      'the domain has a fixed name, so an engine version change must upgrade it in place; leave it out',
    );
  }
  if (domainProps.accessPolicies !== undefined) {
    throw new InvalidPropError(
      'domainProps.accessPolicies',
      'the construct writes the access policy (the indexer role, plus principals given to grantDomainRead / grantDomainWrite); leave it out and use those methods',
    );
  }
  if (domainProps.removalPolicy !== undefined) {
    throw new InvalidPropError(
      'domainProps.removalPolicy',
      "is the definition's domain.create.removal ('retain' or 'destroy'); leave it out",
    );
  }
  if (domainProps.vpc !== undefined || domainProps.vpcSubnets !== undefined) {
    throw new InvalidPropError('domainProps.vpc', 'use the top-level "vpc" / "vpcSubnets" props, shared with the indexer');
  }
}

/** Lowercase, 3-28 characters, starts with a letter, unique per construct path. */
function generatedDomainName(scope: Construct): string {
  const readable = scope.node.id
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 14);
  const hash = Names.uniqueId(scope).slice(-8).toLowerCase();
  return `os-${readable}-${hash}`.replace(/--+/g, '-');
}

/**
 * Written on the CloudFormation resource (not with `addAccessPolicies`, which deploys a custom resource).
 * The resource is built from the domain name: the domain's own ARN attribute cannot appear in its properties.
 */
function setAccessPolicy(domain: opensearch.Domain, indexPathsArn: string, indexerRole: iam.IRole): iam.PolicyDocument {
  const document = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'IndexerHttpAccess',
        principals: [new iam.ArnPrincipal(indexerRole.roleArn)],
        actions: [...INDEXER_DOMAIN_ACTIONS],
        resources: [indexPathsArn],
      }),
    ],
  });
  (domain.node.defaultChild as opensearch.CfnDomain).accessPolicies = document;
  return document;
}

function allowLogPublishing(scope: Construct, domain: opensearch.Domain, domainArnFromName: string): void {
  const logGroups = [domain.slowSearchLogGroup, domain.slowIndexLogGroup, domain.appLogGroup, domain.auditLogGroup].filter(
    (group): group is logs.ILogGroup => group !== undefined,
  );
  if (logGroups.length === 0) return;
  const policy = new logs.ResourcePolicy(scope, 'DomainLogsResourcePolicy', {
    policyStatements: [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('es.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: logGroups.map((group) => group.logGroupArn),
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
          ArnLike: { 'aws:SourceArn': domainArnFromName },
        },
      }),
    ],
  });
  // Only the domain resource waits for the policy (its log groups are referenced by the policy).
  (domain.node.defaultChild as opensearch.CfnDomain).node.addDependency(policy);
}
