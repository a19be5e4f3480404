import { addBackfillCommands, backfillErrorExitCode, syncTableName, type ActionRunner, type CliStreams } from '@ddb-os/backfill';
import { addReplayCommands, isReplayUsageError, type CliContext as ReplayContext } from '@ddb-os/replay';
import type { ResolvedSync, Syncs } from '@ddb-os/sync-definition';
import { Command, CommanderError } from 'commander';
import { EXIT, EXIT_HELP } from './constants';
import { chooseSync, loadSyncs } from './definition';
import { commandEnvironment, LOCAL_ENDPOINTS, type GlobalFlags } from './environment';
import { addRunCommand } from './run';
import { ShutdownSignals } from './shutdown';
import { addStatusCommand } from './status';

/** Where `ddb-os` runs: results on `out`, progress and messages on `err`. */
export interface DdbOsContext {
  readonly out: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly err: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Ctrl-C / SIGTERM; `process`'s by default. */
  readonly signals?: ShutdownSignals;
}

/** What every command of `ddb-os` reads once its options are parsed: the sync, its environment, its table. */
export interface CommandContext {
  readonly out: DdbOsContext['out'];
  readonly err: NodeJS.WriteStream;
  readonly cwd: string;
  readonly signals: ShutdownSignals;
  /** The environment with the endpoint flags and the local-stack defaults applied. */
  readonly env: NodeJS.ProcessEnv;
  readonly syncs: () => Syncs;
  readonly sync: () => ResolvedSync;
}

const DESCRIPTION = [
  'Operate the syncs of a sync definition (syncs/sync.config.ts, or --definition): initial load, drift verification and repair, replay of archived failures, a local stream runner, and what exists.',
  `Endpoints come from the flags, else the environment (OPENSEARCH_NODE, DYNAMODB_ENDPOINT, S3_ENDPOINT, SQS_ENDPOINT), else the local stack (${Object.values(LOCAL_ENDPOINTS).join(', ')}); "aws" means the real endpoint of the region.`,
].join('\n\n');

const EXAMPLES = `
Examples:
  $ npx ddb-os status --sync demo --table demo-items
  $ npx ddb-os backfill --sync demo --table demo-items
  $ npx ddb-os verify --sync demo --table demo-items --repair
  $ npx ddb-os replay run --sync demo --dry-run
  $ npx ddb-os run --sync demo --table demo-items --dlq-url http://127.0.0.1:9324/000000000000/indexer-dlq
  $ npx ddb-os verify --definition ops/orders.sync.ts --sync orders --opensearch-node https://search-x.eu-west-1.es.amazonaws.com

${EXIT_HELP}
`;

/**
 * Runs `ddb-os` and resolves with its exit code (see {@link EXIT}).
 *
 * @example
 * process.exitCode = await runDdbOs(process.argv, { out: process.stdout, err: process.stderr, env: process.env, cwd: process.cwd() });
 */
export async function runDdbOs(argv: readonly string[], context: DdbOsContext): Promise<number> {
  const signals = context.signals ?? ShutdownSignals.ofProcess();
  let exitCode: number = EXIT.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const program = buildProgram(context, signals, setExitCode);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    context.err.write(`error: ${(error as Error).message}\n`);
    exitCode = isReplayUsageError(error) ? EXIT.error : backfillErrorExitCode(error);
  } finally {
    signals.dispose();
  }
  return exitCode;
}

function buildProgram(context: DdbOsContext, signals: ShutdownSignals, setExitCode: (code: number) => void): Command {
  const program = new Command('ddb-os')
    .description(DESCRIPTION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage and examples)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (text) => context.out.write(text), writeErr: (text) => context.err.write(text) })
    .option('--definition <path>', 'a .ts/.js module exporting `syncs` (default: the workspace definition, syncs/sync.config.ts)')
    .option('--sync <name>', 'the sync to operate on (default: the only sync of the definition)')
    .option('--opensearch-node <url>', 'OpenSearch endpoint (OPENSEARCH_NODE)')
    .option('--dynamodb-endpoint <url>', 'DynamoDB endpoint, "aws" for the real one (DYNAMODB_ENDPOINT)')
    .option('--s3-endpoint <url>', 'S3 endpoint, "aws" for the real one (S3_ENDPOINT)')
    .option('--sqs-endpoint <url>', 'SQS endpoint, "aws" for the real one (SQS_ENDPOINT)')
    .option('--region <region>', 'AWS region (AWS_REGION, default us-east-1)')
    .addHelpText('after', EXAMPLES);
  const commands = commandContext(program, context, signals);

  const run: ActionRunner = async (action) => {
    signals.onSignal((count) => {
      if (count > 1) process.exit(EXIT.interrupted);
      context.err.write('\nstopping after the pages being written (checkpointed); press Ctrl-C again to quit at once\n');
    });
    try {
      setExitCode(await action(signals.abortSignal));
    } catch (error) {
      context.err.write(`error: ${(error as Error).message}\n`);
      setExitCode(backfillErrorExitCode(error));
    }
  };
  addBackfillCommands(program, backfillStreams(commands), run);
  const replay = program
    .command('replay')
    .description("list the sync's failure archive and re-drive it into OpenSearch from the table's current state");
  addReplayCommands(replay, replayContext(commands), setExitCode);
  addRunCommand(program, commands, setExitCode);
  addStatusCommand(program, commands, setExitCode);
  return program;
}

/** The sync and environment of the parsed global flags, computed once, when a command first asks. */
function commandContext(program: Command, context: DdbOsContext, signals: ShutdownSignals): CommandContext {
  let env: NodeJS.ProcessEnv | undefined;
  let syncs: Syncs | undefined;
  const flags = (): GlobalFlags & { definition?: string; sync?: string } => program.opts();
  const loaded = (): Syncs => (syncs ??= loadSyncs(flags().definition, context.cwd));
  return {
    out: context.out,
    err: context.err,
    cwd: context.cwd,
    signals,
    get env() {
      return (env ??= commandEnvironment(flags(), context.env));
    },
    syncs: loaded,
    sync: () => chooseSync(loaded(), flags().sync),
  };
}

function backfillStreams(commands: CommandContext): CliStreams {
  return {
    out: commands.out,
    err: commands.err,
    get env() {
      return commands.env;
    },
    sync: commands.sync,
  };
}

function replayContext(commands: CommandContext): ReplayContext {
  return {
    stdout: commands.out,
    stderr: commands.err,
    get env() {
      return commands.env;
    },
    sync: commands.sync,
    get syncTable() {
      return syncTableName(commands.sync());
    },
  };
}
