import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cx_api } from 'aws-cdk-lib';
import type { InfraConfig } from './config';
import { syncStackName } from './sync-stage';

/** Where `infra:synth` writes the cloud assembly, from the workspace root (also the target's Nx `outputs`). */
export const ASSEMBLY_DIRECTORY = 'dist/apps/infra/cdk.out';
/** The settings the assembly was built from, written beside its manifest by `main.ts`. */
export const ASSEMBLY_CONFIG_FILE = 'infra-config.json';

/** Whether an assembly was built from the given settings; `problem` says what differs and how to fix it. */
export type AssemblyCheck = { readonly ok: true; readonly stackName: string } | { readonly ok: false; readonly problem: string };

/**
 * Records the settings of a synthesized assembly, so `diff`/`deploy` can refuse one built from others.
 *
 * @example
 * const { app, config } = createInfraApp();
 * recordAssemblyConfig(app.synth().directory, config);
 */
export function recordAssemblyConfig(directory: string, config: InfraConfig): void {
  writeFileSync(join(directory, ASSEMBLY_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Checks that the assembly in `directory` was built from `expected`: every recorded setting equal,
 * and the manifest holding the stage's stack in the expected account/region.
 *
 * @example
 * const check = checkAssembly('dist/apps/infra/cdk.out', resolveInfraConfig(lookup, process.env));
 * if (!check.ok) throw new Error(check.problem);
 */
export function checkAssembly(directory: string, expected: InfraConfig): AssemblyCheck {
  const rebuild =
    'Run `npx nx run infra:synth` with the same settings (environment and -c arguments) first, or use `npx nx run infra:diff|deploy`, which synthesize them.';
  if (!existsSync(join(directory, 'manifest.json'))) return { ok: false, problem: `No cloud assembly in ${directory}. ${rebuild}` };
  const recordFile = join(directory, ASSEMBLY_CONFIG_FILE);
  if (!existsSync(recordFile))
    return {
      ok: false,
      problem: `The cloud assembly in ${directory} has no ${ASSEMBLY_CONFIG_FILE}: it was not written by the infra app's synth. ${rebuild}`,
    };
  const differences = settingDifferences(JSON.parse(readFileSync(recordFile, 'utf8')) as Record<string, unknown>, normalized(expected));
  if (differences.length > 0) {
    return {
      ok: false,
      problem: `The cloud assembly in ${directory} was built from other settings than this command's: ${differences.join('; ')}. ${rebuild}`,
    };
  }
  const stackName = syncStackName(expected.stage);
  const stack = new cx_api.CloudAssembly(directory).stacksRecursively.find((candidate) => candidate.stackName === stackName);
  if (!stack) return { ok: false, problem: `The cloud assembly in ${directory} holds no stack ${stackName}. ${rebuild}` };
  const expectedEnvironment = `aws://${expected.env.account ?? cx_api.UNKNOWN_ACCOUNT}/${expected.env.region ?? cx_api.UNKNOWN_REGION}`;
  if (stack.environment.name !== expectedEnvironment) {
    return {
      ok: false,
      problem: `Stack ${stackName} in ${directory} targets ${stack.environment.name}, not ${expectedEnvironment}. ${rebuild}`,
    };
  }
  return { ok: true, stackName };
}

/** JSON drops undefined fields: compare what the record can hold. */
function normalized(config: InfraConfig): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

function settingDifferences(built: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(built), ...Object.keys(expected)])].sort();
  return keys
    .filter((key) => JSON.stringify(built[key]) !== JSON.stringify(expected[key]))
    .map(
      (key) =>
        `${key} is ${JSON.stringify(built[key]) ?? 'unset'} in the assembly, ${JSON.stringify(expected[key]) ?? 'unset'} for this command`,
    );
}
