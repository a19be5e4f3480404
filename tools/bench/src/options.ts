import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { DEFAULT_HANDLER, DEFAULT_RUNS, RESULTS_DIR } from './constants';
import { InvalidBenchOptionError } from './errors';
import { randomSeed } from './prng';
import type { CommonOptions, SweepOptions } from './types';

/** A bench's options as commander gives them: strings and flags, read by the bench. */
export type RawOptions = Record<string, string | boolean | undefined>;

/** A whole number ≥ `min` written in decimal digits (no sign, no fraction, no exponent), as a safe integer. */
const wholeNumberSchema = (min: number) =>
  z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(Number.MAX_SAFE_INTEGER));

/** A comma-separated list of at least one entry (blank entries ignored). */
const listSchema = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

/** The options {@link withCommonOptions} adds, as commander gives them (strings and flags). */
const commonOptionsSchema = z.object({
  runs: z.string().default(String(DEFAULT_RUNS)),
  quick: z.boolean().default(false),
  out: z.string().min(1).default(RESULTS_DIR),
  seed: z.string().optional(),
});

/** Parses `text` with `schema`, or throws {@link InvalidBenchOptionError} naming the option and what it expects. */
function parseOption<T>(schema: z.ZodType<T, string>, option: string, text: string, expected: string): T {
  const parsed = schema.safeParse(text);
  if (!parsed.success) throw new InvalidBenchOptionError(option, text, expected);
  return parsed.data;
}

/**
 * Parses a whole number ≥ `min`, naming the option when it is not one.
 *
 * @example
 * wholeNumber('--runs', '3'); // 3
 */
export function wholeNumber(option: string, text: string, min = 1): number {
  return parseOption(wholeNumberSchema(min), option, text, `a whole number ≥ ${min}`);
}

/**
 * Parses a comma-separated list of whole numbers, e.g. `100,1000`.
 *
 * @example
 * numberList('--batch-sizes', '100,1000'); // [100, 1000]
 */
export function numberList(option: string, text: string): number[] {
  const entries = parseOption(listSchema, option, text, 'a comma-separated list of whole numbers, e.g. 100,1000');
  return entries.map((entry) => wholeNumber(option, entry));
}

/** Adds `--runs`, `--quick`, `--out` and `--seed` to a bench's command. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--runs <n>', `runs per configuration; figures are medians (≥ ${DEFAULT_RUNS} for reported figures)`, String(DEFAULT_RUNS))
    .option('--quick', 'reduced run for smoke tests (one run, small sizes); marked as not reportable')
    .option('--out <dir>', 'directory of the JSON and Markdown results', RESULTS_DIR)
    .option('--seed <n>', 'seed of the synthetic workload (default: random, printed)')
    .exitOverride();
}

/** Reads the common options from a parsed command. */
export function commonOptions(raw: { runs?: string; quick?: boolean; out?: string; seed?: string }): CommonOptions {
  const parsed = commonOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'options');
    throw new InvalidBenchOptionError(`--${field}`, (raw as Record<string, unknown>)[field], issue?.message ?? 'a valid value');
  }
  const { runs, quick, out, seed } = parsed.data;
  return {
    runs: quick ? 1 : wholeNumber('--runs', runs),
    quick,
    outDir: out,
    seed: seed === undefined ? randomSeed() : wholeNumber('--seed', seed, 0),
  };
}

/**
 * Parses `argv` with a bench's command (built on {@link withCommonOptions}) and reads the common options; the bench
 * reads its own from `raw`.
 *
 * @example
 * const { raw, common } = parseCommand(withCommonOptions(new Command('latency')).option('--rate <n>', 'writes/s', '20'), argv);
 */
export function parseCommand(program: Command, argv: readonly string[]): { readonly raw: RawOptions; readonly common: CommonOptions } {
  program.parse([...argv], { from: 'user' });
  const raw = program.opts<RawOptions>();
  return { raw, common: commonOptions(raw as Parameters<typeof commonOptions>[0]) };
}

/** Adds `--handler`, `--batch-sizes`, `--item-bytes` and `--records`: the options of a bench that runs a handler over batch sizes × item sizes. */
export function withSweepOptions(command: Command, recordsHelp: string): Command {
  return command
    .option('--handler <path#export>', 'the handler module and export (any Lambda DynamoDB-stream handler)', DEFAULT_HANDLER)
    .option('--batch-sizes <list>', 'records per batch', '100,1000')
    .option('--item-bytes <list>', 'approximate item sizes in bytes', '1024,10240')
    .option('--records <n>', recordsHelp, '4000');
}

/** Reads the options {@link withSweepOptions} adds; `--quick` is one small configuration. */
export function sweepOptions(raw: RawOptions, common: CommonOptions): SweepOptions {
  return {
    handler: String(raw['handler']),
    batchSizes: common.quick ? [100] : numberList('--batch-sizes', String(raw['batchSizes'])),
    itemSizes: common.quick ? [1024] : numberList('--item-bytes', String(raw['itemBytes'])),
    records: common.quick ? 300 : wholeNumber('--records', String(raw['records'])),
  };
}

/**
 * The command line that reproduces a run, as recorded in every result.
 *
 * @example
 * reproduceCommand('latency', ['--runs', '3']); // 'npx nx run bench:latency -- --runs 3'
 */
export function reproduceCommand(bench: string, args: readonly string[]): string {
  const quoted = args.map((arg) => (/^[\w@%+=:,./#-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`));
  return `npx nx run bench:${bench}${quoted.length > 0 ? ` -- ${quoted.join(' ')}` : ''}`;
}

/**
 * Runs a bench's main function with its parsed options: usage errors exit 2 with the message, failures exit 1.
 *
 * @example
 * runMain(() => main(process.argv.slice(2)));
 */
export function runMain(main: () => Promise<void>): void {
  // Node 20 is supported by this repository; the SDK's notice about its future versions is noise in bench output.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // Exits explicitly: SDK and OpenSearch clients keep sockets alive that would hold the process open.
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(error instanceof InvalidBenchOptionError ? 2 : 1);
    },
  );
}
