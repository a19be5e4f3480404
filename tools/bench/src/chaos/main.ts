import { Command, Option } from 'commander';
import { ConvergenceFailedError } from '../errors';
import { reproduceCommand, runMain, wholeNumber } from '../options';
import { randomSeed } from '../prng';
import { writeResult } from '../report';
import { RESULTS_DIR } from '../constants';
import { runChaos } from './harness';
import { CHAOS_MODES, CHAOS_NOTES } from './modes';
import { chaosMarkdown, type ChaosOptions } from './report';

/**
 * `npx nx run bench:chaos [-- --mode reduced --seed 42 ...]`: runs the chaos run, writes
 * `docs/benchmarks/chaos.{json,md}` (`chaos-reduced.*` for the reduced mode) and exits 1 unless
 * lost = stale = resurrected = 0.
 */
async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('chaos')
    .description('Random workload through DynamoDB while faults are injected; then every key is compared with the index')
    .addOption(
      new Option('--mode <mode>', 'full: ≥ 10k operations and an OpenSearch crash; reduced: the test-suite size')
        .choices(['full', 'reduced'])
        .default('full'),
    )
    .option('--seed <n>', 'PRNG seed (default: random, printed)')
    .option('--operations <n>', 'random operations')
    .option('--rate <n>', 'operations per second')
    .option('--keys <n>', 'distinct keys')
    .option('--poison <n>', 'poison items')
    .option('--no-kill-opensearch', 'do not crash OpenSearch (use only proxy outages)')
    .option('--keep', 'keep the table, indexes, queues and bucket')
    .option('--out <dir>', 'directory of the report', RESULTS_DIR)
    .exitOverride();
  program.parse([...argv], { from: 'user' });
  const raw = program.opts<Record<string, string | boolean | undefined>>();
  const mode = raw['mode'] === 'reduced' ? 'reduced' : 'full';
  const defaults = CHAOS_MODES[mode];
  const pick = (option: 'operations' | 'rate' | 'keys' | 'poison') =>
    raw[option] === undefined ? defaults[option] : wholeNumber(`--${option}`, String(raw[option]), option === 'poison' ? 0 : 1);
  const options: ChaosOptions = {
    ...defaults,
    mode,
    seed: raw['seed'] === undefined ? randomSeed() : wholeNumber('--seed', String(raw['seed']), 0),
    operations: pick('operations'),
    rate: pick('rate'),
    keys: pick('keys'),
    poison: pick('poison'),
    killOpenSearch: defaults.killOpenSearch && raw['killOpensearch'] !== false,
    keepResources: raw['keep'] === true,
    command: reproduceCommand('chaos', argv),
    settings: {},
    notes: CHAOS_NOTES,
    log: (line) => console.log(`chaos: ${line}`),
  };
  const report = await runChaos({
    ...options,
    settings: {
      operations: options.operations,
      rate: options.rate,
      keys: options.keys,
      poison: options.poison,
      killOpenSearch: options.killOpenSearch,
      faultGapMs: options.faultGapMs,
    },
  });
  const file = writeResult(
    String(raw['out'] ?? RESULTS_DIR),
    { ...report, bench: mode === 'full' ? 'chaos' : 'chaos-reduced' },
    chaosMarkdown(report),
  );
  console.log(chaosMarkdown(report));
  console.log(`chaos: wrote ${file}`);
  if (!report.passed)
    throw new ConvergenceFailedError(
      report.result.lost,
      report.result.stale,
      report.result.resurrected,
      report.failurePath.replay.at(-1)?.failed ?? 0,
    );
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
