/**
 * The `run` command of the stream runner, shared by its own CLI (`cli.ts`) and `ddb-os run`: flags, their
 * validation, and the run until a shutdown signal. No entry point here (a bundle that imports it runs nothing).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultClients, defaultSqsDestination } from './aws-clients';
import { DEFAULTS } from './constants';
import { InvalidRunnerOptionsError } from './errors';
import { describeIssues, runnerSettingsSchema } from './options';
import { StatusReporter } from './status-reporter';
import { StreamRunner } from './stream-runner';
import type { StreamHandler, StreamRunnerOptions } from './types';

/** CLI flag of each runner setting, to name flags (not API fields) in errors. */
const FLAGS: Record<string, string> = {
  tableName: '--table',
  streamArn: '--stream-arn',
  functionName: '--function-name',
  batchSize: '--batch-size',
  batchingWindowMs: '--batching-window-ms',
  maxRetryAttempts: '--max-retry-attempts',
  maxRecordAgeSeconds: '--max-record-age-seconds',
  bisectBatchOnError: '--bisect-on-error',
  startPosition: '--start-position',
  timeoutMs: '--timeout-seconds',
  checkpointFile: '--checkpoint-file',
  pollIntervalMs: '--poll-interval-ms',
  describeIntervalMs: '--describe-interval-ms',
  handler: '--handler',
  onFailureQueueUrl: '--on-failure-queue-url',
  logFormat: '--log-format',
};

const integer = z
  .string()
  .regex(/^-?\d+$/, 'must be an integer')
  .transform(Number)
  .optional();

const rawRunOptionsSchema = z.object({
  table: z.string().optional(),
  streamArn: z.string().optional(),
  handler: z
    .string()
    .regex(/^[^#]+(#[A-Za-z_$][\w$]*)?$/, 'must be path/to/module.ts#exportName')
    .optional(),
  functionName: z.string().optional(),
  batchSize: integer,
  batchingWindowMs: integer,
  maxRetryAttempts: integer,
  maxRecordAgeSeconds: integer,
  bisectOnError: z.boolean().optional(),
  onFailureQueueUrl: z.url({ protocol: /^https?$/, error: 'must be an SQS queue URL (http(s)://...)' }).optional(),
  checkpointFile: z.string().optional(),
  startPosition: z.string().optional(),
  timeoutSeconds: integer,
  pollIntervalMs: integer,
  describeIntervalMs: integer,
  logFormat: z.enum(['auto', 'tty', 'json'], { error: 'must be auto, tty or json' }),
});

/** The validated `run` command. */
export interface RunCommandOptions {
  readonly settings: Omit<StreamRunnerOptions, 'handler' | 'onFailure' | 'streams' | 'tables' | 'logger' | 'now'>;
  /** `--handler`; `undefined` when the program builds the handler itself (`ddb-os run`: the sync's indexer). */
  readonly handlerSpec: string | undefined;
  readonly onFailureQueueUrl: string | undefined;
  readonly logFormat: 'auto' | 'tty' | 'json';
}

/**
 * Validates the raw `run` flags (strings from commander) into runner settings; throws
 * InvalidRunnerOptionsError naming each bad flag.
 * @example parseRunOptions({ table: 'orders', handler: 'apps/indexer/src/main.ts#handler', logFormat: 'auto', batchSize: '10' }).settings.batchSize // 10
 */
export function parseRunOptions(raw: Record<string, unknown>): RunCommandOptions {
  const flagOf = (key: string): string => FLAGS[key] ?? `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  const parsedRaw = rawRunOptionsSchema.safeParse(raw);
  if (!parsedRaw.success) throw new InvalidRunnerOptionsError(describeIssues(parsedRaw.error, flagOf));
  const flags = parsedRaw.data;
  const settings = {
    tableName: flags.table,
    streamArn: flags.streamArn,
    functionName: flags.functionName,
    batchSize: flags.batchSize,
    batchingWindowMs: flags.batchingWindowMs,
    maxRetryAttempts: flags.maxRetryAttempts,
    maxRecordAgeSeconds: flags.maxRecordAgeSeconds,
    bisectBatchOnError: flags.bisectOnError,
    startPosition: flags.startPosition,
    timeoutMs: flags.timeoutSeconds === undefined ? undefined : flags.timeoutSeconds * 1000,
    checkpointFile: flags.checkpointFile,
    pollIntervalMs: flags.pollIntervalMs,
    describeIntervalMs: flags.describeIntervalMs,
  };
  const defined = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  const checked = runnerSettingsSchema.safeParse(defined);
  if (!checked.success) {
    const issues = describeIssues(checked.error, flagOf).map((issue) =>
      issue.replace('tableName (--table) or streamArn (--stream-arn)', '--table or --stream-arn'),
    );
    throw new InvalidRunnerOptionsError(issues);
  }
  return {
    settings: defined as RunCommandOptions['settings'],
    handlerSpec: flags.handler,
    onFailureQueueUrl: flags.onFailureQueueUrl,
    logFormat: flags.logFormat,
  };
}

export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Registers the shutdown signals; the callback receives how many were received so far. */
  readonly onShutdownSignal: (listener: (count: number) => void) => void;
  readonly loadHandler: (spec: string, cwd: string) => StreamHandler;
}

/**
 * Runs the stream runner until a shutdown signal; resolves with the exit code. The handler: `handler` when given
 * (built by the caller), else the `--handler` module.
 */
export async function runCommand(options: RunCommandOptions, io: CliIo, handler?: StreamHandler): Promise<number> {
  handler ??= io.loadHandler(options.handlerSpec ?? DEFAULTS.handlerSpec, io.cwd);
  const tty = options.logFormat === 'tty' || (options.logFormat === 'auto' && io.stdout.isTTY === true);
  const reporter = new StatusReporter({ out: io.stdout, tty, intervalMs: tty ? 1000 : 10_000 });
  const onFailure = options.onFailureQueueUrl === undefined ? undefined : defaultSqsDestination(options.onFailureQueueUrl, io.env);
  const runner = new StreamRunner({ ...options.settings, ...defaultClients(io.env), handler, onFailure, logger: reporter.logger });
  io.onShutdownSignal((count) => {
    if (count > 1) process.exit(130);
    reporter.logger.log('info', 'shutting down: finishing the in-flight batch (signal again to abandon it)');
    void runner.stop();
  });
  reporter.attach(runner);
  await runner.start();
  await runner.stopped;
  reporter.detach();
  return 0;
}

/**
 * Adds the event source mapping's flags (batching, retries, bisect, on-failure queue, checkpoints, polling, log
 * format) to a command: the runner's own `run` and `ddb-os run` share them; validate with {@link parseRunOptions}.
 */
export function addRunnerOptions(command: Command): Command {
  return command
    .option('--function-name <name>', `Lambda function name for the context and on-failure records (default ${DEFAULTS.functionName})`)
    .option('--batch-size <n>', `records per invocation, 1–10000 (default ${DEFAULTS.batchSize})`)
    .option('--batching-window-ms <ms>', 'time to gather records before invoking, 0–300000 (default 0)')
    .option(
      '--max-retry-attempts <n>',
      `retries before a batch is discarded, -1 = until the records expire (default ${DEFAULTS.maxRetryAttempts})`,
    )
    .option('--max-record-age-seconds <s>', 'discard older records, -1 = never (default -1)')
    .option('--bisect-on-error', 'split a failing batch in halves and retry each')
    .option('--on-failure-queue-url <url>', 'SQS queue receiving on-failure records of discarded batches (SQS_ENDPOINT)')
    .option('--checkpoint-file <path>', `checkpoint JSON file (default ${DEFAULTS.checkpointDirectory}/<table>.json)`)
    .option('--start-position <position>', 'TRIM_HORIZON or LATEST, for a stream without checkpoints (default TRIM_HORIZON)')
    .option('--timeout-seconds <s>', `function timeout (default ${DEFAULTS.timeoutMs / 1000})`)
    .option('--poll-interval-ms <ms>', `minimum pause between polls of a shard (default ${DEFAULTS.pollIntervalMs})`)
    .option('--describe-interval-ms <ms>', `how often new shards are looked for (default ${DEFAULTS.describeIntervalMs})`)
    .option('--log-format <format>', 'auto (status line on a TTY, JSON otherwise), tty or json', 'auto');
}
