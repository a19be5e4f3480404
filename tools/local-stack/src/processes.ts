import { setTimeout as delay } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { LaunchSpec } from './types';

/**
 * Starts a server in its own process group (so it outlives the CLI and `down` can stop the whole group),
 * with stdout and stderr appended to `logPath`. Resolves with its pid (= process group id).
 */
export function spawnDetached(spec: LaunchSpec, logPath: string): Promise<number> {
  const fd = openSync(logPath, 'w');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        if (child.pid === undefined) reject(new Error(`${spec.command} started without a pid`));
        else resolve(child.pid);
      });
    });
  } finally {
    closeSync(fd);
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the process group looks like one we started: alive, and its leader's command line mentions one of
 * our directories (guards against a recycled pid). A group whose leader already exited (e.g. `runuser` killed
 * by hand while OpenSearch lives on) still counts. Without /proc (macOS) only liveness is checked.
 */
export function looksLikeOurs(pgid: number, ourDirs: readonly string[]): boolean {
  if (!groupAlive(pgid)) return false;
  if (!existsSync('/proc/self/cmdline')) return true;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pgid}/cmdline`, 'utf8');
  } catch {
    return true;
  }
  return cmdline.split('\0').some((part) => ourDirs.some((dir) => part.includes(dir)));
}

/** Sends SIGTERM to the group, then SIGKILL after `timeoutMs`; resolves with how it ended. */
export async function stopGroup(pgid: number, timeoutMs: number): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!signalGroup(pgid, 'SIGTERM')) return 'not-running';
  if (await waitUntil(() => !groupAlive(pgid), timeoutMs)) return 'stopped';
  signalGroup(pgid, 'SIGKILL');
  await waitUntil(() => !groupAlive(pgid), 5_000);
  return 'killed';
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` until it holds or `timeoutMs` passes; resolves with whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await delay(intervalMs);
  }
  return true;
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
