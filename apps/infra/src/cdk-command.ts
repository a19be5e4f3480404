import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSEMBLY_DIRECTORY, checkAssembly } from './assembly';
import { resolveInfraConfig, type InfraConfig } from './config';
import { credentialSources, missingCredentialsMessage, type CredentialEnvironment } from './credentials';

/** The commands that act on a synthesized assembly in AWS. */
export type AssemblyCommand = 'diff' | 'deploy';

/** What `diff`/`deploy` were asked to do, and the world they run in. */
export interface CdkCommandRequest {
  readonly command: AssemblyCommand;
  /** Arguments after `--` (e.g. `-c stage=prod`, `--profile ops`). */
  readonly cdkArgs: readonly string[];
  readonly variables: Readonly<Record<string, string | undefined>>;
  readonly workspaceRoot: string;
  /** The `context` of apps/infra/cdk.json. */
  readonly cdkJsonContext: Readonly<Record<string, unknown>>;
  /** The `context` of the user's ~/.cdk.json, which the CDK CLI also passes to the app (below cdk.json). */
  readonly userContext: Readonly<Record<string, unknown>>;
  readonly credentials: CredentialEnvironment;
}

/** The CDK CLI arguments to run, or why not to run it. */
export type CdkCommandPlan =
  | { readonly ok: true; readonly assembly: string; readonly stackName: string; readonly argv: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Decides whether `cdk diff|deploy` may run: the assembly must have been built from this command's
 * own settings (the same resolution as the app: `-c` arguments, then cdk.json, then ~/.cdk.json, then environment),
 * and AWS credentials must be present. Calls nothing.
 *
 * @example
 * const plan = planCdkCommand({ command: 'diff', cdkArgs: ['-c', 'stage=prod'], variables: process.env, workspaceRoot, cdkJsonContext, credentials });
 */
export function planCdkCommand(request: CdkCommandRequest): CdkCommandPlan {
  const expected = expectedConfig(request);
  if (typeof expected === 'string') return { ok: false, message: `infra:${request.command}: ${expected}` };
  const assembly = join(request.workspaceRoot, ASSEMBLY_DIRECTORY);
  const check = checkAssembly(assembly, expected);
  if (!check.ok) return { ok: false, message: `infra:${request.command}: ${check.problem}` };
  if (credentialSources(request.credentials).length === 0)
    return { ok: false, message: missingCredentialsMessage(request.command, expected, request.credentials) };
  const userApproval = request.cdkArgs.some((argument) => argument === '--require-approval' || argument.startsWith('--require-approval='));
  const approval = request.command === 'deploy' && !userApproval ? ['--require-approval', 'broadening'] : [];
  return {
    ok: true,
    assembly,
    stackName: check.stackName,
    argv: ['cdk', request.command, '--app', assembly, '--no-notices', ...approval, ...request.cdkArgs, '**'],
  };
}

/** The settings the app would resolve for this command, or the message naming the bad one. */
function expectedConfig(request: CdkCommandRequest): InfraConfig | string {
  const cliContext = contextArguments(request.cdkArgs);
  try {
    return resolveInfraConfig((key) => cliContext[key] ?? request.cdkJsonContext[key] ?? request.userContext[key], request.variables);
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The `-c key=value` / `--context key=value` / `--context=key=value` arguments, as the CDK CLI reads them.
 *
 * @example
 * contextArguments(['-c', 'stage=prod', '--profile', 'ops']); // { stage: 'prod' }
 */
export function contextArguments(args: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [index, argument] of args.entries()) {
    const pair =
      argument === '-c' || argument === '--context'
        ? args[index + 1]
        : argument.startsWith('--context=')
          ? argument.slice('--context='.length)
          : undefined;
    const separator = pair?.indexOf('=') ?? -1;
    if (pair !== undefined && separator > 0) context[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return context;
}

/** The `context` block of a cdk.json file; empty when the file does not exist. */
export function readCdkJsonContext(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}
