import { Command, CommanderError } from 'commander';
import { DEFAULTS } from './constants';
import { InvalidRunnerOptionsError } from './errors';
import { loadHandler } from './handler-loader';
import { addRunnerOptions, parseRunOptions, runCommand, type CliIo, type RunCommandOptions } from './run-command';

export { addRunnerOptions, parseRunOptions, runCommand, type CliIo, type RunCommandOptions } from './run-command';

/** The commander program; `run` validates its flags and calls `execute`. */
export function buildProgram(execute: (options: RunCommandOptions) => Promise<void>): Command {
  const program = new Command('stream-runner')
    .description('Local DynamoDB Streams event source mapping: reads a stream and invokes a Lambda handler in-process')
    .showHelpAfterError();
  const run = program
    .command('run')
    .description('Read a table stream and invoke the handler for every batch until SIGINT/SIGTERM')
    .option('--table <name>', 'table whose latest stream is read (DescribeTable → LatestStreamArn)')
    .option('--stream-arn <arn>', 'stream to read (instead of --table)')
    .option('--handler <path#export>', 'handler module (TypeScript or JavaScript) and export', DEFAULTS.handlerSpec);
  addRunnerOptions(run).action(async (raw: Record<string, unknown>) => {
    await execute(parseRunOptions(raw));
  });
  return program;
}

/** Entry point: parses argv, runs, and exits with 0 after a clean shutdown, 2 on bad options, 1 on failure. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(async (options) => {
    exitCode = await runCommand(options, io);
  });
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.stderr.write(`stream-runner: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof InvalidRunnerOptionsError ? 2 : 1;
  }
}

function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onShutdownSignal: (listener) => {
      let count = 0;
      const onSignal = (): void => listener(++count);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
    loadHandler: (spec, cwd) => loadHandler(spec, { cwd }),
  };
}

if (require.main === module) {
  main(process.argv, processIo()).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
}
