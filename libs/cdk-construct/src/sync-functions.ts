import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BUNDLE_NODE_MAJOR, HANDLER } from './constants';
import { InvalidPropError } from './errors';

/** A Lambda role with no managed policies: every permission is added explicitly by the construct. */
export function createFunctionRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
}

/** Settings of one sync function. */
export interface SyncFunctionSpec {
  readonly id: string;
  readonly description: string;
  readonly codeDirectory: string;
  readonly role: iam.Role;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly runtime: lambda.Runtime;
  readonly tracing: lambda.Tracing;
  readonly logRetention: logs.RetentionDays;
  readonly reservedConcurrentExecutions?: number;
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** A function and its log group (explicit, so retention needs no custom resource and the role writes only there). */
export interface SyncFunction {
  readonly fn: lambda.Function;
  readonly logGroup: logs.LogGroup;
}

/** The newest runtime the bundles are built for. */
export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_22_X;

/** Node.js runtimes able to run the bundles: Node.js, same major version as their build target or newer. */
export function requireBundleRuntime(runtime: lambda.Runtime | undefined): void {
  if (runtime === undefined) return;
  const major = nodeMajorOf(runtime);
  if (major === undefined || major < BUNDLE_NODE_MAJOR) {
    throw new InvalidPropError(
      'runtime',
      `must be a Node.js runtime from nodejs${BUNDLE_NODE_MAJOR}.x on (the bundles are built for node${BUNDLE_NODE_MAJOR}), got ${runtime.name}`,
    );
  }
}

/** True when `runtime` is the newest Node.js runtime this aws-cdk-lib knows (what cdk-nag's L1 rule asks for). */
export function isNewestNodeRuntime(runtime: lambda.Runtime): boolean {
  const majors = lambda.Runtime.ALL.map(nodeMajorOf).filter((major): major is number => major !== undefined);
  return nodeMajorOf(runtime) === Math.max(...majors);
}

function nodeMajorOf(runtime: lambda.Runtime): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
  return runtime.family === lambda.RuntimeFamily.NODEJS && match ? Number(match[1]) : undefined;
}

/** A Node.js function on arm64 from a prebuilt bundle directory (synth never bundles). */
export function createSyncFunction(scope: Construct, spec: SyncFunctionSpec): SyncFunction {
  const logGroup = new logs.LogGroup(scope, `${spec.id}LogGroup`, { retention: spec.logRetention });
  logGroup.grantWrite(spec.role);
  const fn = new lambda.Function(scope, spec.id, {
    description: spec.description,
    runtime: spec.runtime,
    architecture: lambda.Architecture.ARM_64,
    handler: HANDLER,
    code: lambda.Code.fromAsset(spec.codeDirectory),
    role: spec.role,
    logGroup,
    memorySize: spec.memorySize,
    timeout: spec.timeout,
    tracing: spec.tracing,
    reservedConcurrentExecutions: spec.reservedConcurrentExecutions,
    vpc: spec.vpc,
    vpcSubnets: spec.vpc ? spec.vpcSubnets : undefined,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...spec.environment },
  });
  return { fn, logGroup };
}
