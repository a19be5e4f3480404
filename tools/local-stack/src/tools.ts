import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, cpSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { MIN_JAVA_MAJOR } from './constants';
import { FetchFailedError, JavaTooOldError, MissingToolError } from './errors';
import { lastLines } from './log-tail';
import type { Tool } from './types';

/** Absolute path of an executable on PATH, or undefined. */
export function findOnPath(command: string, path: string = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Path of a required tool; throws {@link MissingToolError} naming who needs it and how to get it. */
export function requireTool(tool: Tool, neededFor: string, envVar: string): string {
  const found = findOnPath(tool) ?? findOnPath(tool, '/usr/sbin:/sbin');
  if (!found) throw new MissingToolError(tool, neededFor, envVar);
  return found;
}

/** Major version from `java -version` output (`openjdk version "17.0.15"`, `"1.8.0_392"`). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Checks that `java` is new enough; returns its path and its home (OpenSearch wants the home, not PATH). */
export function requireJava(neededFor: string, envVar: string): { java: string; javaHome: string } {
  const java = requireTool('java', neededFor, envVar);
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major !== undefined && major < MIN_JAVA_MAJOR) throw new JavaTooOldError(major, MIN_JAVA_MAJOR);
  return { java, javaHome: dirname(dirname(realpathSync(java))) };
}

/** Runs a fetch step, capturing its output; throws {@link FetchFailedError} with the output's tail on failure. */
export function runFetchStep(title: string, command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const fail = (detail: string) =>
      reject(new FetchFailedError(title, [command, ...args].join(' '), `${lastLines(Buffer.concat(chunks).toString('utf8'))}${detail}`));
    child.on('error', (error) => fail(`\n${error.message}`));
    child.on('close', (code, signal) => (code === 0 ? resolve() : fail(`\n(exit code ${code ?? signal})`)));
  });
}

/** Moves a directory to a path that does not exist yet, also across filesystems (copy, then delete). */
export function moveDirectory(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    rmSync(from, { recursive: true, force: true });
  }
}

/** Moves a finished download into its final place, so a half-finished fetch never looks installed. */
export function renameIntoPlace(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
}
