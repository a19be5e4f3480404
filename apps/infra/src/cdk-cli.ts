import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@ddb-os/cdk-construct';
import { planCdkCommand, readCdkJsonContext, type AssemblyCommand } from './cdk-command';
import { readCredentialEnvironment } from './credentials';

// Entry point of infra:diff and infra:deploy: `tsx src/cdk-cli.ts diff|deploy [cdk args]`.
const [command, ...cdkArgs] = process.argv.slice(2);
if (command !== 'diff' && command !== 'deploy') {
  process.stderr.write(`usage: cdk-cli.ts diff|deploy [cdk arguments]; got ${JSON.stringify(command)}\n`);
  process.exit(2);
}
const plan = planCdkCommand({
  command: command satisfies AssemblyCommand,
  cdkArgs,
  variables: process.env,
  workspaceRoot: findWorkspaceRoot(),
  cdkJsonContext: readCdkJsonContext(join(__dirname, '..', 'cdk.json')),
  userContext: readCdkJsonContext(join(homedir(), '.cdk.json')),
  credentials: readCredentialEnvironment(process.env, cdkArgs),
});
if (!plan.ok) {
  process.stderr.write(`${plan.message}\n`);
  process.exit(1);
}
process.stderr.write(`infra:${command}: ${plan.stackName} from ${plan.assembly}\n`);
const result = spawnSync('npx', plan.argv, { stdio: 'inherit' });
process.exit(result.status ?? 1);
