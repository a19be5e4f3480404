import { spawn } from 'node:child_process';
import path from 'node:path';
import { syncTargetEnvironmentOf, type DemoConfig } from '../config';
import { DemoApiError } from '../errors';
import type { Logger } from '../logger';
import type { ReplayOutcome, ReplayService } from '../types';

/** The demo's definition module (`export const syncs`), which replay reads instead of the workspace's. */
export const DEMO_DEFINITION_MODULE = 'apps/demo-api/src/demo-syncs.ts';

/** A replay of one object takes a few seconds (re-read, write, move); past this the child is stopped. */
export const REPLAY_TIMEOUT_MS = 60_000;

/** The replay CLI did not produce a report (it crashed, was misconfigured, or timed out). */
export class ReplayFailedError extends DemoApiError {
  constructor(
    public readonly key: string,
    public readonly problem: string,
  ) {
    super(`replay of ${key} did not complete: ${problem}`);
  }
}

export interface ReplayCliOptions {
  readonly config: DemoConfig;
  /** The workspace root: where `apps/cli` (the `ddb-os` entry) and `node_modules/.bin/tsx` are. */
  readonly workspaceRoot: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

/**
 * The environment `replay run` reads: the demo's sync target (the indexer's), the index names its definition module
 * reads, its archive and its table.
 *
 * @example
 * const env = replayEnvironment(loadConfig());
 */
export function replayEnvironment(config: DemoConfig): Record<string, string> {
  return {
    ...syncTargetEnvironmentOf(config),
    DEMO_PRODUCTS_INDEX: config.indexes.products,
    DEMO_REVIEWS_INDEX: config.indexes.reviews,
    ARCHIVE_BUCKET: config.archive.bucket,
    ARCHIVE_PREFIX: config.archive.prefix,
    S3_ENDPOINT: config.archive.s3Endpoint,
    DYNAMODB_ENDPOINT: config.dynamodbEndpoint,
  };
}

/**
 * Replays archive objects with the replay tool itself — `replay run --key <key> --json --definition <the demo's>
 * --sync demo`, the command an operator runs — in a child process configured like the demo's indexer. An app cannot import a tool (module boundaries),
 * and running the CLI keeps the page's replay and the operator's replay one and the same code path.
 *
 * @example
 * const { status } = await new ReplayCli({ config, workspaceRoot: workspaceRoot(), logger }).replay(key);
 */
export class ReplayCli implements ReplayService {
  constructor(private readonly options: ReplayCliOptions) {}

  async replay(key: string): Promise<ReplayOutcome> {
    const { workspaceRoot, config } = this.options;
    const command = path.join(workspaceRoot, 'node_modules', '.bin', 'tsx');
    const replayArgs = ['--definition', DEMO_DEFINITION_MODULE, '--sync', config.sync.name, 'replay', 'run', '--key', key, '--json'];
    const args = ['--tsconfig', 'tsconfig.base.json', 'apps/cli/src/main.ts', ...replayArgs];
    const { stdout, stderr, exitCode } = await run(command, args, {
      cwd: workspaceRoot,
      env: { ...process.env, ...replayEnvironment(config) },
      timeoutMs: this.options.timeoutMs ?? REPLAY_TIMEOUT_MS,
    });
    const report = objectReportOf(stdout);
    if (report === undefined) {
      const problem = `replay exited with ${exitCode ?? 'a signal'} without a report: ${lastLines(stderr) || lastLines(stdout) || 'no output'}`;
      this.options.logger.error('replay failed', { key, exitCode, stderr: lastLines(stderr) });
      throw new ReplayFailedError(key, problem);
    }
    const status = String(report['status']);
    if (status !== 'replayed')
      this.options.logger.warn('replay did not complete the object', {
        key,
        status,
        failures: report['failures'],
        advice: report['advice'],
      });
    return { key, status, report };
  }
}

/** The `{"type":"object",…}` line of `replay run --json`. */
function objectReportOf(stdout: string): Record<string, unknown> | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed['type'] === 'object') {
        const { type: _type, ...report } = parsed;
        return report;
      }
    } catch {
      // Not a JSON line (e.g. a warning printed by a dependency): keep looking.
    }
  }
  return undefined;
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

interface Completed {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Completed> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: stderr + (exitCode === null ? `\n(stopped after ${options.timeoutMs} ms)` : ''), exitCode });
    });
  });
}
