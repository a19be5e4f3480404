import { z } from 'zod';
import { DEFAULTS, LIMITS } from './constants';
import { InvalidRunnerOptionsError } from './errors';
import type { RunnerConfig, StreamRunnerOptions } from './types';
import { STREAM_ARN_PATTERN } from '@ddb-os/stream-decoding';

const int = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`);
const positiveMs = int(1, 24 * 3_600_000);

const maxRecordAgeSeconds = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .refine((value) => value === -1 || (value >= 1 && value <= LIMITS.maxRecordAgeSeconds), {
    message: `must be -1 (never discard) or 1–${LIMITS.maxRecordAgeSeconds}`,
  });

const maxRetryAttempts = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .refine((value) => value >= -1 && value <= LIMITS.maxRetryAttempts, {
    message: `must be -1 (retry until the records expire) or 0–${LIMITS.maxRetryAttempts}`,
  });

const functionName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, hyphens or underscores (a Lambda function name)');

/** The tunable settings shared by the API and the CLI (without clients and handler). */
export const runnerSettingsSchema = z
  .object({
    tableName: z.string().min(3, 'must be 3–255 characters').max(255, 'must be 3–255 characters').optional(),
    streamArn: z
      .string()
      .regex(STREAM_ARN_PATTERN, 'must be a stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)')
      .optional(),
    functionName: functionName.default(DEFAULTS.functionName),
    batchSize: int(1, LIMITS.maxBatchSize).default(DEFAULTS.batchSize),
    batchingWindowMs: int(0, LIMITS.maxBatchingWindowMs).default(DEFAULTS.batchingWindowMs),
    maxRetryAttempts: maxRetryAttempts.default(DEFAULTS.maxRetryAttempts),
    maxRecordAgeSeconds: maxRecordAgeSeconds.default(DEFAULTS.maxRecordAgeSeconds),
    bisectBatchOnError: z.boolean().default(DEFAULTS.bisectBatchOnError),
    startPosition: z.enum(['TRIM_HORIZON', 'LATEST'], { error: 'must be TRIM_HORIZON or LATEST' }).default(DEFAULTS.startPosition),
    timeoutMs: int(1, 900_000).default(DEFAULTS.timeoutMs),
    checkpointFile: z.string().min(1, 'must not be empty').optional(),
    pollIntervalMs: positiveMs.default(DEFAULTS.pollIntervalMs),
    idlePollMaxMs: positiveMs.default(DEFAULTS.idlePollMaxMs),
    describeIntervalMs: positiveMs.default(DEFAULTS.describeIntervalMs),
    retryBaseDelayMs: int(0, 3_600_000).default(DEFAULTS.retryBaseDelayMs),
    retryMaxDelayMs: int(0, 3_600_000).default(DEFAULTS.retryMaxDelayMs),
    stopGraceMs: int(0, 3_600_000).optional(),
  })
  .refine((settings) => (settings.tableName === undefined) !== (settings.streamArn === undefined), {
    message: 'give exactly one of tableName (--table) or streamArn (--stream-arn)',
    path: ['tableName'],
  });

/** Formats zod issues as `name: problem` lines, naming options through `nameOf`. */
export function describeIssues(error: z.ZodError, nameOf: (key: string) => string = (key) => key): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    return key === '' ? issue.message : `${nameOf(key)}: ${issue.message}`;
  });
}

/**
 * Validates runner options and applies the defaults; throws InvalidRunnerOptionsError naming every bad option.
 * @example resolveRunnerConfig({ handler, tableName: 'orders' }).batchSize // 100
 */
export function resolveRunnerConfig(options: StreamRunnerOptions): RunnerConfig {
  if (typeof options.handler !== 'function')
    throw new InvalidRunnerOptionsError(['handler: must be a function (event, context) => result']);
  const { handler: _handler, onFailure: _onFailure, streams: _streams, tables: _tables, logger: _logger, now: _now, ...settings } = options;
  const parsed = runnerSettingsSchema.safeParse(settings);
  if (!parsed.success) throw new InvalidRunnerOptionsError(describeIssues(parsed.error));
  const config = parsed.data;
  return {
    ...config,
    tableName: config.tableName,
    streamArn: config.streamArn,
    checkpointFile: config.checkpointFile,
    stopGraceMs: config.stopGraceMs ?? config.timeoutMs,
  };
}
