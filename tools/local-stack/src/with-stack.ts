import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { MissingCommandError, StackUpError } from './errors';
import { versionsLine } from './format';
import { releaseLease, takeLease } from './lock';
import { stackPaths } from './paths';
import { defaultLog, ensureStackUp, stopStack } from './stack';
import type { ServerName } from './types';

const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** The command after `--` (or all arguments when there is no `--`). */
export function commandAfterSeparator(argv: readonly string[]): string[] {
  const separator = argv.indexOf('--');
  const command = separator === -1 ? [...argv] : argv.slice(separator + 1);
  if (command.length === 0) throw new MissingCommandError();
  return command;
}

/**
 * Brings the stack up, runs the command with inherited stdio, then stops only the servers this run started.
 * Resolves with the command's exit code (128 + n when it died of signal n).
 */
export async function runWithStack(command: readonly string[]): Promise<number> {
  const paths = stackPaths();
  takeLease(paths);
  let started: readonly ServerName[] = [];
  try {
    const result = await ensureStackUp().catch((error: unknown) => {
      if (error instanceof StackUpError) started = error.started;
      throw error;
    });
    started = result.started;
    defaultLog(`stack: ${versionsLine(result.servers)}`);
    return await runCommand(command);
  } finally {
    releaseLease(paths);
    if (started.length > 0) await stopStack({ servers: started, respectLeases: true });
  }
}

function runCommand(command: readonly string[]): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  const binDir = join(stackPaths().workspaceRoot, 'node_modules', '.bin');
  const child = spawn(file, args, {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${binDir}${delimiter}${process.env['PATH'] ?? ''}` },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const name of signals) process.off(name, forward);
      resolve(code ?? (signal ? (SIGNAL_EXIT_CODES[signal] ?? 1) : 1));
    });
  });
}

if (require.main === module) {
  runWithStack(commandAfterSeparator(process.argv.slice(2)))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? `\n[local-stack] ${error.message}` : error);
      process.exitCode = 1;
    });
}
