import { spawn } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { waitUntil } from '../../src/processes';
import { join, relative, sep } from 'node:path';

/** Top-level entries of a checkout that a copy must not take: installed packages, caches, build output, git. */
const NOT_COPIED = new Set(['node_modules', '.cache', '.git', '.nx', 'dist', 'coverage', 'tmp']);

/** Copies the workspace's own files (the working tree as it is now) to `to`, and links its node_modules in. */
export function copyCheckout(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(relative(from, source).split(sep)[0] ?? ''),
  });
  symlinkSync(realpathSync(join(from, 'node_modules')), join(to, 'node_modules'));
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tsx tools/local-stack/src/cli.ts <args>` in `checkout` as a new user would: no AWS_* variables, plus `env`.
 */
export function runLocalStackCli(checkout: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliRun> {
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  const child = spawn(join(checkout, 'node_modules', '.bin', 'tsx'), ['tools/local-stack/src/cli.ts', ...args], {
    cwd: checkout,
    env: { ...cleanEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A TCP port nothing listens on right now (the kernel's pick), for a server of the test's own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Stops (SIGTERM, then SIGKILL after 20 s) every process whose command line mentions `dir` (Linux /proc only). */
export async function stopProcessesMentioning(dir: string): Promise<void> {
  const pids = processesMentioning(dir);
  if (pids.length === 0) return;
  signalAll(pids, 'SIGTERM');
  if (await waitUntil(() => processesMentioning(dir).length === 0, 20_000, 250)) return;
  signalAll(processesMentioning(dir), 'SIGKILL');
  await delay(1_000);
}

function processesMentioning(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
