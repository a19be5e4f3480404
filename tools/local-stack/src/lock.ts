import { setTimeout as delay } from 'node:timers/promises';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_TIMEOUT_MS } from './constants';
import { StackLockTimeoutError } from './errors';
import type { LogFn, StackPaths } from './types';

/**
 * Runs `fn` while holding `run/stack.lock`, so concurrent `up`/`down` calls (parallel Jest projects,
 * several terminals) do not fetch or start the same server twice. A lock left by a dead process is taken over.
 */
export async function withStackLock<T>(paths: StackPaths, log: LogFn, fn: () => Promise<T>): Promise<T> {
  const lockFile = join(paths.run, 'stack.lock');
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  while (!tryAcquire(lockFile)) {
    const holder = lockHolder(lockFile);
    if (holder !== undefined && !processAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new StackLockTimeoutError(lockFile, holder);
    if (!announced) log(`waiting for another local-stack command (pid ${holder ?? '?'}) to finish`);
    announced = true;
    await delay(500);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function tryAcquire(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function lockHolder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const leaseDir = (paths: StackPaths): string => join(paths.run, 'leases');

/**
 * Marks that this process uses the stack. `stopStack({ respectLeases: true })` leaves servers running
 * while another live process holds a lease (e.g. two Jest runs sharing a stack one of them started).
 */
export function takeLease(paths: StackPaths): void {
  mkdirSync(leaseDir(paths), { recursive: true });
  closeSync(openSync(join(leaseDir(paths), String(process.pid)), 'w'));
}

export function releaseLease(paths: StackPaths): void {
  rmSync(join(leaseDir(paths), String(process.pid)), { force: true });
}

/** Pids of other live processes holding a lease (leases of dead processes are removed). */
export function otherLeaseHolders(paths: StackPaths): number[] {
  let entries: string[];
  try {
    entries = readdirSync(leaseDir(paths));
  } catch {
    return [];
  }
  const holders: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (processAlive(pid)) holders.push(pid);
    else rmSync(join(leaseDir(paths), entry), { force: true });
  }
  return holders;
}
