import { spawn } from 'node:child_process';
import { Command, Option } from 'commander';
import { parseServerNames } from './config';
import { LocalStackError } from './errors';
import { formatStatus, formatStopReports, formatUpReport } from './format';
import { tailFile } from './log-tail';
import { logFile, stackPaths } from './paths';
import { ensureStackUp, stackStatus, stopStack } from './stack';
import { SERVER_NAMES } from './types';

// The probes' SDK clients would print Node-20 deprecation notices on every command; they say nothing about the stack.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const program = new Command()
  .name('local-stack')
  .description('Fetches, starts and stops the local servers (moto, OpenSearch, ElasticMQ, S3Proxy) on loopback.')
  .showHelpAfterError();

program
  .command('up')
  .description('start every server that is not running yet (idempotent) and wait until all are healthy')
  .argument('[servers...]', `subset of: ${SERVER_NAMES.join(', ')}`)
  .action(async (servers: string[]) => {
    const result = await ensureStackUp({ servers: parseServerNames(servers) });
    console.log(formatUpReport(result.servers));
  });

program
  .command('down')
  .description('stop the servers the local stack started (external servers are never touched)')
  .argument('[servers...]', `subset of: ${SERVER_NAMES.join(', ')}`)
  .action(async (servers: string[]) => {
    console.log(formatStopReports(await stopStack({ servers: parseServerNames(servers) })));
  });

program
  .command('status')
  .description('show each server: endpoint, up/down, version, pid, who started it (exit code 1 if any is down)')
  .action(async () => {
    const statuses = await stackStatus();
    console.log(formatStatus(statuses));
    if (statuses.some((status) => !status.up)) process.exitCode = 1;
  });

program
  .command('logs')
  .description('print the last lines of the servers’ logs (.cache/local-stack/run/<server>.log)')
  .argument('[servers...]', `subset of: ${SERVER_NAMES.join(', ')}`)
  .addOption(new Option('-n, --lines <count>', 'lines per server').default('50').argParser(parseLineCount))
  .option('-f, --follow', 'keep printing new lines (like tail -f)')
  .action(async (servers: string[], options: { lines: number; follow?: boolean }) => {
    const paths = stackPaths();
    const files = parseServerNames(servers).map((name) => logFile(paths, name));
    if (options.follow) {
      spawn('tail', ['-n', String(options.lines), '-F', ...files], { stdio: 'inherit' });
      return;
    }
    for (const file of files) console.log(`==> ${file} <==\n${tailFile(file, options.lines)}\n`);
  });

function parseLineCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count <= 0)
    throw new LocalStackError(`--lines must be a positive whole number, got ${JSON.stringify(value)}.`);
  return count;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof LocalStackError ? `\n[local-stack] ${error.message}` : error);
  process.exitCode = 1;
});
