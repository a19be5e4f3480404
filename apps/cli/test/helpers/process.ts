import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { WORKSPACE } from './capture';

/** What a CLI process printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `ddb-os` launcher (what `npx ddb-os` runs) in a child process from the workspace root, as a new user
 * would: no AWS_* variables in its environment, only `env` on top of the rest.
 */
export function ddbOs(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return spawnDdbOs(args, env).finished;
}

/** A `ddb-os` process still running (e.g. `run`): the child, what it printed so far, and its end. */
export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly finished: Promise<CliRun>;
}

/** Starts the real `ddb-os` launcher like {@link ddbOs}, without waiting for it to end. */
export function spawnDdbOs(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  const child = spawn(process.execPath, ['apps/cli/bin/ddb-os.cjs', ...args], {
    cwd: WORKSPACE,
    env: { ...inherited, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const finished = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, output: () => stdout + stderr, finished };
}

/** The JSON summary line a command printed last on stdout. */
export function summaryOf(run: CliRun): Record<string, unknown> {
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}
