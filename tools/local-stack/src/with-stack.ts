import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { MissingCommandError, StackUpError } from './errors';
import { versionsLine } from './format';
import { releaseLease, takeLease } from './lock';
import { stackPaths } from './paths';
import { defaultLog, ensureStackUp, stopStack } from './stack';
import { ENDPOINT_ENV_VARS } from './testing-lib';
import type { ServerName, ServerUpReport } from './types';

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
 * Resolves with the command's exit code (128 + n when it or this process got signal n).
 * SIGINT/SIGTERM/SIGHUP are forwarded to the command's process group; during startup they abort the startup.
 */
export async function runWithStack(command: readonly string[]): Promise<number> {
  const paths = stackPaths();
  const interruption = new Interruption();
  takeLease(paths);
  let started: readonly ServerName[] = [];
  try {
    const result = await ensureStackUp({ signal: interruption.signal }).catch((error: unknown) => {
      if (error instanceof StackUpError) started = error.started;
      throw error;
    });
    started = result.started;
    if (interruption.received) return exitCodeFor(interruption.received);
    defaultLog(`stack: ${versionsLine(result.servers)}`);
    return await runCommand(command, endpointEnv(result.servers), interruption);
  } catch (error) {
    if (interruption.received) return exitCodeFor(interruption.received);
    throw error;
  } finally {
    interruption.dispose();
    releaseLease(paths);
    if (started.length > 0) await stopStack({ servers: started, respectLeases: true });
  }
}

/** Catches termination signals for the whole run: aborts startup, and forwards them to the command once it runs. */
class Interruption {
  private readonly controller = new AbortController();
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  private child: ChildProcess | undefined;
  received: NodeJS.Signals | undefined;

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => this.receive(signal);
      this.handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  attach(child: ChildProcess): void {
    this.child = child;
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
  }

  private receive(signal: NodeJS.Signals): void {
    this.received ??= signal;
    this.controller.abort();
    if (this.child?.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // the command's process group is already gone
    }
  }
}

/** The endpoint environment variables for the command, so it talks to exactly the servers that were checked. */
function endpointEnv(servers: readonly ServerUpReport[]): Record<string, string> {
  return Object.fromEntries(servers.map((server) => [ENDPOINT_ENV_VARS[server.name], server.endpoint]));
}

function runCommand(command: readonly string[], env: Readonly<Record<string, string>>, interruption: Interruption): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  const binDir = join(stackPaths().workspaceRoot, 'node_modules', '.bin');
  // Own process group: a signal reaches the command's whole tree (a shell's children too), not just its first process.
  const child = spawn(file, args, {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, ...env, PATH: `${binDir}${delimiter}${process.env['PATH'] ?? ''}` },
  });
  interruption.attach(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? exitCodeFor(signal) : 1)));
  });
}

function exitCodeFor(signal: NodeJS.Signals): number {
  return SIGNAL_EXIT_CODES[signal] ?? 1;
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
