import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pidFile } from './paths';
import type { PidRecord, ServerName, StackPaths } from './types';

/** Records a server we started. */
export function writePidRecord(paths: StackPaths, name: ServerName, record: PidRecord): void {
  writeFileSync(pidFile(paths, name), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record of a server we started, or undefined (missing or unreadable file). */
export function readPidRecord(paths: StackPaths, name: ServerName): PidRecord | undefined {
  let text: string;
  try {
    text = readFileSync(pidFile(paths, name), 'utf8');
  } catch {
    return undefined;
  }
  return parsePidRecord(text);
}

/** Parses a pid file; undefined when it is not a record we wrote. */
export function parsePidRecord(text: string): PidRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<PidRecord>;
    if (!Number.isInteger(value.pid) || (value.pid ?? 0) <= 1) return undefined;
    return {
      pid: value.pid as number,
      version: String(value.version ?? 'unknown'),
      endpoint: String(value.endpoint ?? ''),
      startedAt: String(value.startedAt ?? ''),
    };
  } catch {
    return undefined;
  }
}

export function removePidRecord(paths: StackPaths, name: ServerName): void {
  rmSync(pidFile(paths, name), { force: true });
}
