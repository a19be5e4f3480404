import { createStreamBatchHandler } from '@ddb-os/indexing-core';
import { addRunnerOptions, parseRunOptions, runCommand, type CliIo } from '@ddb-os/stream-runner';
import { SYNC_ENV } from '@ddb-os/sync-contracts';
import type { Command } from 'commander';
import { syncTableName } from '@ddb-os/backfill';
import { EXIT_HELP } from './constants';
import { InvalidCliOptionsError } from './errors';
import type { CommandContext } from './program';

/**
 * `ddb-os run`: the local stream runner (Lambda's event source mapping) with the sync's indexer built in-process
 * from the definition — the same handler the Lambda compiles in, configured as a cold start would be.
 */
export function addRunCommand(program: Command, commands: CommandContext, setExitCode: (code: number) => void): void {
  const run = program
    .command('run')
    .description("read the sync's table stream and index every batch with the sync's indexer, in-process, until Ctrl-C (local development)")
    .option('--table <name>', "table whose latest stream is read (default: the sync's existing table, when its definition names one)")
    .option('--stream-arn <arn>', 'stream to read (instead of --table)')
    .option('--dlq-url <url>', `SQS queue for poison records (${SYNC_ENV.deadLetterQueueUrl})`);
  addRunnerOptions(run)
    .addHelpText(
      'after',
      `
Examples:
  $ npx ddb-os run --sync demo --table demo-items --dlq-url http://127.0.0.1:9324/000000000000/indexer-dlq
  $ npx ddb-os run --sync demo --table demo-items --batch-size 10 --bisect-on-error --on-failure-queue-url http://127.0.0.1:9324/000000000000/on-failure

The indexer reads the rest of its configuration from the environment as in Lambda (RETRY_*, BULK_MAX_BYTES, …).
Checkpoints: .cache/stream-runner/<table>.json (see \`ddb-os status\`).

${EXIT_HELP}
`,
    )
    .action(async (raw: Record<string, unknown> & { dlqUrl?: string }) => {
      setExitCode(await runAction(raw, commands));
    });
}

async function runAction(raw: Record<string, unknown> & { dlqUrl?: string }, commands: CommandContext): Promise<number> {
  const sync = commands.sync();
  const { dlqUrl, ...runnerFlags } = raw;
  const withTable =
    runnerFlags['table'] === undefined && runnerFlags['streamArn'] === undefined
      ? { ...runnerFlags, table: syncTableName(sync) }
      : runnerFlags;
  const options = parseRunOptions(withTable);
  const tableName = options.settings.tableName ?? tableOfStream(options.settings.streamArn);
  const env: NodeJS.ProcessEnv = {
    ...commands.env,
    [SYNC_ENV.syncName]: sync.name,
    ...(tableName !== undefined && { [SYNC_ENV.tableName]: tableName }),
    ...(dlqUrl !== undefined && { [SYNC_ENV.deadLetterQueueUrl]: dlqUrl }),
  };
  if (!env[SYNC_ENV.deadLetterQueueUrl])
    throw new InvalidCliOptionsError([`--dlq-url: is required (or ${SYNC_ENV.deadLetterQueueUrl}): the queue poison records go to`]);
  const handler = createStreamBatchHandler(commands.syncs(), env);
  // What a cold start would refuse (bad variables, keys that differ from the table's) fails here, before any record.
  await handler.start();
  return runCommand(options, runnerIo(commands, env), handler);
}

function tableOfStream(streamArn: string | undefined): string | undefined {
  return streamArn?.split('/')[1];
}

function runnerIo(commands: CommandContext, env: NodeJS.ProcessEnv): CliIo {
  return {
    stdout: commands.out as NodeJS.WriteStream,
    stderr: commands.err,
    env,
    cwd: commands.cwd,
    onShutdownSignal: (listener) => commands.signals.onSignal(listener),
    loadHandler: () => {
      throw new Error('ddb-os run builds the indexer of the sync; it loads no handler module');
    },
  };
}
