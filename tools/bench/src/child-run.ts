import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ChildProcessFailedError } from './errors';
import type { ChildRun } from './types';

/**
 * Runs a TypeScript entry point of the workspace in a child Node process under tsx (as `nx run` targets do),
 * with the RSS probe preloaded, and collects its output, wall time and peak RSS.
 *
 * @example
 * const run = await runTypeScript('apps/cli/src/main.ts', ['replay', 'run', '--json'], { env: { ...process.env, ARCHIVE_BUCKET: 'b' } });
 */
export async function runTypeScript(
  entry: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; acceptExitCodes?: readonly number[] },
): Promise<ChildRun> {
  const cwd = options.cwd ?? process.cwd();
  const rssFile = path.join(cwd, '.cache', `bench-rss-${process.pid}-${Date.now()}.json`);
  const start = performance.now();
  const child = spawn(process.execPath, ['--require', path.join(__dirname, 'rss-probe.cjs'), '--import', 'tsx', entry, ...args], {
    cwd,
    env: {
      ...options.env,
      TSX_TSCONFIG_PATH: 'tsconfig.base.json',
      BENCH_RSS_FILE: rssFile,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const wallMs = performance.now() - start;
  const peakRssMiB = readPeakRss(rssFile);
  const accepted = options.acceptExitCodes ?? [0];
  if (exitCode === null || !accepted.includes(exitCode))
    throw new ChildProcessFailedError(`${entry} ${args.join(' ')}`, exitCode, stderr.slice(-2000));
  return { exitCode, stdout, stderr, wallMs, peakRssMiB };
}

function readPeakRss(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const { maxRssKiB } = JSON.parse(readFileSync(file, 'utf8')) as { maxRssKiB?: number };
    return typeof maxRssKiB === 'number' ? Math.round((maxRssKiB / 1024) * 10) / 10 : undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * The JSON lines of a command's output (lines that are not JSON are skipped).
 *
 * @example
 * jsonLines('{"a":1}\nnoise\n{"b":2}\n'); // [{ a: 1 }, { b: 2 }]
 */
export function jsonLines(text: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(trimmed) as Record<string, unknown>);
    } catch {
      // Progress or log text that merely starts with a brace.
    }
  }
  return lines;
}
