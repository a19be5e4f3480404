import path from 'node:path';
import { z } from 'zod';
import type { BackfillOptions } from './backfill';
import { DEFAULTS, LIMITS } from './constants';
import { InvalidOptionsError } from './errors';
import type { ProgressMode } from './progress';
import type { RetryFailuresOptions } from './retry-failures';
import type { VerifyOptions } from './verify';

/** How the CLI shows progress. */
export interface ProgressSettings {
  readonly mode: ProgressMode;
  readonly intervalSeconds: number;
}

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(min, { error: `must be ≥ ${min}` })
    .max(max, { error: `must be ≤ ${max}` });
const tableName = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? "is required: the table's name (the sync's definition names only an existing table; a created one is named at deployment)"
        : 'must be a string',
  })
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: 'must be a DynamoDB table name (3–255 letters, digits, "_", "-", ".")' });
const file = z.string().min(1, { error: 'must not be empty' });
const progressFields = {
  progress: z.enum(['auto', 'bars', 'json', 'none'], { error: 'must be auto, bars, json or none' }).default('auto'),
  progressInterval: z.coerce
    .number({ error: 'must be a number' })
    .positive({ error: 'must be > 0' })
    .default(DEFAULTS.progressIntervalSeconds),
};
const scanFields = {
  segments: int(1, LIMITS.maxSegments).default(DEFAULTS.segments),
  concurrency: int(1, LIMITS.maxConcurrency).default(DEFAULTS.concurrency),
  pageSize: int(1, LIMITS.maxPageSize).optional(),
  maxRcu: z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be > 0' }).optional(),
  maxRcuPercent: z.coerce
    .number({ error: 'must be a number' })
    .gt(0, { error: 'must be > 0' })
    .max(100, { error: 'must be ≤ 100' })
    .optional(),
};

/** Conflicts of the read-capacity options, shared by `backfill` and `verify`. */
function capacityConflicts(given: (key: string) => boolean): string[] {
  return given('maxRcu') && given('maxRcuPercent')
    ? ['--max-rcu-percent: give either --max-rcu <units/s> or --max-rcu-percent <p>, not both']
    : [];
}

const givenIn =
  (raw: Record<string, unknown>) =>
  (key: string): boolean =>
    raw[key] !== undefined && raw[key] !== false;

const backfillSchema = z.object({
  table: tableName.optional(),
  export: z
    .string()
    .regex(/^s3:\/\/[^/]+/, { error: 'must be s3://<bucket>/<prefix>' })
    .optional(),
  exportTime: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z' }).optional(),
  ...scanFields,
  checkpointFile: file.optional(),
  resume: z.boolean().default(false),
  restart: z.boolean().default(false),
  failuresFile: file.optional(),
  maxPageAttempts: int(1, 100).default(DEFAULTS.maxPageAttempts),
  ...progressFields,
});

/** Rules between options, checked on the raw input so they are reported together with per-option problems. */
function backfillConflicts(raw: Record<string, unknown>): string[] {
  const given = givenIn(raw);
  const problems: string[] = capacityConflicts(given);
  if (given('table') === given('export'))
    problems.push('--table: give exactly one source: --table <name> (Scan) or --export s3://… (DynamoDB export)');
  if (given('resume') && given('restart')) problems.push('--restart: cannot be combined with --resume');
  if (given('exportTime') && !given('export')) problems.push('--export-time: only applies with --export');
  if (given('maxRcu') && given('export')) problems.push('--max-rcu: only applies to a table Scan (an export read consumes no capacity)');
  if (given('maxRcuPercent') && given('export'))
    problems.push('--max-rcu-percent: only applies to a table Scan (an export read consumes no capacity)');
  return problems;
}

const verifySchema = z.object({
  table: tableName,
  ...scanFields,
  sample: z.coerce.number({ error: 'must be a number' }).gt(0, { error: 'must be > 0' }).max(1, { error: 'must be ≤ 1' }).default(1),
  sampleSeed: z.string().default(''),
  counts: z.boolean().optional(),
  countsOnly: z.boolean().default(false),
  extras: z.boolean().default(true),
  fullExtras: z.boolean().default(false),
  repair: z.boolean().default(false),
  report: file.optional(),
  ...progressFields,
});

function verifyConflicts(raw: Record<string, unknown>): string[] {
  const problems: string[] = capacityConflicts(givenIn(raw));
  if (raw['countsOnly'] === true && raw['counts'] === false) problems.push('--counts-only: cannot be combined with --no-counts');
  if (raw['countsOnly'] === true && raw['repair'] === true) problems.push('--repair: needs the key phases (drop --counts-only)');
  return problems;
}

const retrySchema = z.object({
  table: tableName,
  failuresFile: file,
  stillFailingFile: file.optional(),
  maxPageAttempts: int(1, 100).default(DEFAULTS.maxPageAttempts),
});

/**
 * Validates the `backfill` command's options and fills the defaults (state files under `.cache/backfill/`).
 * Throws `InvalidOptionsError` naming every bad option.
 *
 * @example
 * backfillOptionsFrom({ table: 'orders', segments: '8', resume: true });
 */
export function backfillOptionsFrom(raw: Record<string, unknown>): { options: BackfillOptions; progress: ProgressSettings } {
  const parsed = parse(backfillSchema, raw, 'backfill', backfillConflicts(raw));
  const name = parsed.table ?? exportName(parsed.export ?? '');
  const source: BackfillOptions['source'] =
    parsed.export === undefined
      ? {
          kind: 'scan',
          table: parsed.table ?? '',
          segments: parsed.segments,
          pageSize: parsed.pageSize,
          maxRcu: parsed.maxRcu,
          maxRcuPercent: parsed.maxRcuPercent,
        }
      : { kind: 'export', url: parsed.export, exportTime: parsed.exportTime, pageSize: parsed.pageSize ?? DEFAULTS.exportPageSize };
  return {
    options: {
      source,
      concurrency: parsed.concurrency,
      checkpointFile: parsed.checkpointFile ?? path.join(DEFAULTS.stateDirectory, `${name}.checkpoint.json`),
      mode: parsed.resume ? 'resume' : parsed.restart ? 'restart' : 'fresh',
      failuresFile: parsed.failuresFile ?? path.join(DEFAULTS.stateDirectory, `${name}.failures.ndjson`),
      maxPageAttempts: parsed.maxPageAttempts,
    },
    progress: { mode: parsed.progress, intervalSeconds: parsed.progressInterval },
  };
}

/**
 * Validates the `verify` command's options. Counting (a full Scan) is on by default, off by default for a sample.
 * Throws `InvalidOptionsError` naming every bad option.
 *
 * @example
 * verifyOptionsFrom({ table: 'orders', sample: '0.01', repair: true });
 */
export function verifyOptionsFrom(raw: Record<string, unknown>): { options: VerifyOptions; progress: ProgressSettings } {
  const parsed = parse(verifySchema, raw, 'verify', verifyConflicts(raw));
  return {
    options: {
      table: parsed.table,
      segments: parsed.segments,
      concurrency: parsed.concurrency,
      pageSize: parsed.pageSize,
      maxRcu: parsed.maxRcu,
      maxRcuPercent: parsed.maxRcuPercent,
      sample: parsed.sample,
      sampleSeed: parsed.sampleSeed,
      counts: parsed.countsOnly || (parsed.counts ?? parsed.sample >= 1),
      keys: !parsed.countsOnly,
      extras: !parsed.countsOnly && parsed.extras,
      fullExtras: parsed.fullExtras,
      repair: parsed.repair,
      reportFile: parsed.report,
    },
    progress: { mode: parsed.progress, intervalSeconds: parsed.progressInterval },
  };
}

/** Validates the `retry-failures` command's options. */
export function retryFailuresOptionsFrom(raw: Record<string, unknown>): RetryFailuresOptions {
  const parsed = parse(retrySchema, raw, 'retry-failures');
  return {
    table: parsed.table,
    failuresFile: parsed.failuresFile,
    stillFailingFile: parsed.stillFailingFile ?? parsed.failuresFile.replace(/(\.ndjson)?$/, '.still-failing.ndjson'),
    maxPageAttempts: parsed.maxPageAttempts,
  };
}

function parse<S extends z.ZodType>(
  schema: S,
  raw: Record<string, unknown>,
  command: string,
  conflicts: readonly string[] = [],
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success && conflicts.length === 0) return result.data;
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.length === 0 ? '(options)' : flagName(String(issue.path[0]))}: ${issue.message}`);
  throw new InvalidOptionsError(command, [...issues, ...conflicts]);
}

/** `maxRcu` → `--max-rcu`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function exportName(url: string): string {
  const last = url.replace(/\/+$/, '').split('/').pop() ?? 'export';
  return `export-${last.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
