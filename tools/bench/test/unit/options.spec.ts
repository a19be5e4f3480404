import { Command } from 'commander';
import { InvalidBenchOptionError } from '../../src/errors';
import {
  commonOptions,
  numberList,
  parseCommand,
  reproduceCommand,
  sweepOptions,
  wholeNumber,
  withCommonOptions,
  withSweepOptions,
} from '../../src/options';

describe('option parsing', () => {
  it('parses whole numbers and lists, naming the option when a value is bad', () => {
    expect(wholeNumber('--runs', '3')).toBe(3);
    expect(numberList('--batch-sizes', '100, 1000')).toEqual([100, 1000]);
    expect(() => wholeNumber('--runs', '0')).toThrow(InvalidBenchOptionError);
    expect(() => wholeNumber('--runs', '2.5')).toThrow('Option --runs "2.5" is invalid: expected a whole number ≥ 1');
    expect(() => numberList('--batch-sizes', ',')).toThrow('Option --batch-sizes');
  });

  it('refuses what is not written as a whole number, and numbers past the safe range', () => {
    for (const bad of ['1e3', '-1', '0x10', '', '9007199254740993'])
      expect(() => wholeNumber('--sizes', bad)).toThrow(InvalidBenchOptionError);
    expect(wholeNumber('--seed', ' 0 ', 0)).toBe(0);
    expect(() => numberList('--sizes', '100,abc')).toThrow('Option --sizes "abc" is invalid: expected a whole number ≥ 1');
  });

  it('names the common option that is bad', () => {
    const program = withCommonOptions(new Command('x'));
    program.parse(['--seed', '-3'], { from: 'user' });
    expect(() => commonOptions(program.opts())).toThrow('Option --seed "-3" is invalid: expected a whole number ≥ 0');
  });

  it('reads the common options; --quick means a single run', () => {
    const program = withCommonOptions(new Command('x'));
    program.parse(['--quick', '--seed', '9', '--runs', '5'], { from: 'user' });
    expect(commonOptions(program.opts())).toEqual({ runs: 1, quick: true, outDir: 'docs/benchmarks', seed: 9 });
  });

  it('defaults to three runs and a random seed', () => {
    const program = withCommonOptions(new Command('x'));
    program.parse([], { from: 'user' });
    const options = commonOptions(program.opts());
    expect(options.runs).toBe(3);
    expect(Number.isInteger(options.seed)).toBe(true);
  });
});

describe('reproduceCommand', () => {
  it('writes the nx command, quoting what a shell would split', () => {
    expect(reproduceCommand('latency', [])).toBe('npx nx run bench:latency');
    expect(reproduceCommand('latency', ['--runs', '3', '--handler', 'apps/indexer/src/main.ts#handler'])).toBe(
      'npx nx run bench:latency -- --runs 3 --handler apps/indexer/src/main.ts#handler',
    );
    expect(reproduceCommand('x', ["it's here"])).toBe("npx nx run bench:x -- 'it'\\''s here'");
  });

  it('reads the sweep options, and --quick reduces them to one small configuration', () => {
    // Given a sweep bench's command
    const command = () => withSweepOptions(withCommonOptions(new Command('x')), 'records per run');
    // When it parses full and quick command lines
    const full = parseCommand(command(), [
      '--handler',
      'h.ts#run',
      '--batch-sizes',
      '10,20',
      '--item-bytes',
      '512',
      '--records',
      '99',
      '--seed',
      '1',
    ]);
    const quick = parseCommand(command(), ['--quick', '--seed', '1']);
    // Then the sizes are the ones asked for, or the quick ones
    expect(sweepOptions(full.raw, full.common)).toEqual({ handler: 'h.ts#run', batchSizes: [10, 20], itemSizes: [512], records: 99 });
    expect(full.common.runs).toBe(3);
    expect(sweepOptions(quick.raw, quick.common)).toEqual({
      handler: expect.stringContaining('#'),
      batchSizes: [100],
      itemSizes: [1024],
      records: 300,
    });
    const bad = parseCommand(command(), ['--records', '0', '--seed', '1']);
    expect(() => sweepOptions(bad.raw, bad.common)).toThrow('Option --records "0" is invalid');
  });
});
