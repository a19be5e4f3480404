import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackEndpointMap } from '../../src/config';
import { OPENSEARCH_SYSTEM_USER, VERSIONS } from '../../src/constants';
import { stackPaths, systemUserDirFor, workspaceRoot } from '../../src/paths';
import { portOpen } from '../../src/processes';
import { openSearchServer, probeOpenSearch } from '../../src/servers/opensearch';
import { copyCheckout, freePort, runLocalStackCli, stopProcessesMentioning, type CliRun } from '../helpers/checkout-copy';

// A warm OpenSearch start on a loaded 2-core machine takes about a minute; the first run may also fetch it.
jest.setTimeout(300_000);

const isRoot = process.geteuid?.() === 0;
// eslint-disable-next-line no-restricted-properties -- OpenSearch runs as a system user only when the tool runs as root (as in CI); as another user the case does not exist
const describeAsRoot = isRoot ? describe : describe.skip;

describeAsRoot('OpenSearch as root, in a checkout other users cannot traverse (runs only as root)', () => {
  let privateParent: string;
  let checkout: string;
  let env: Record<string, string>;
  let systemUserDir: string;
  const cli = (...args: string[]): Promise<CliRun> => runLocalStackCli(checkout, args, env);

  beforeAll(async () => {
    privateParent = mkdtempSync(join(tmpdir(), 'ddb-os-private-'));
    checkout = join(privateParent, 'checkout');
    copyCheckout(workspaceRoot(), checkout);
    await seedOpenSearchDownload(checkout);
    systemUserDir = systemUserDirFor(realpathSync(join(checkout, '.cache', 'local-stack')));
    env = { OPENSEARCH_NODE: `http://127.0.0.1:${await freePort()}` };
  });

  afterAll(async () => {
    if (checkout !== undefined) await cli('down', 'opensearch');
    // Should `down` not recognise the server (the defect this file guards against), it must not outlive the test.
    if (systemUserDir !== undefined) await stopProcessesMentioning(systemUserDir);
    if (systemUserDir !== undefined) rmSync(systemUserDir, { recursive: true, force: true });
    if (privateParent !== undefined) rmSync(privateParent, { recursive: true, force: true });
  });

  it('starts OpenSearch from the checkout, finds it again for up and status, and stops it with down', async () => {
    // given a checkout whose parent only root may enter
    expect(statSync(privateParent).mode & 0o777).toBe(0o700);
    // and OpenSearch data kept in the checkout by an earlier version of the tool
    const legacyData = join(checkout, '.cache', 'local-stack', 'data', 'opensearch');
    mkdirSync(legacyData, { recursive: true });
    writeFileSync(join(legacyData, 'kept-by-an-earlier-run'), 'x');

    // when OpenSearch is brought up there on a port of its own
    const up = await cli('up', 'opensearch');

    // then it starts
    expect(outcome(up)).toEqual({ code: 0, failure: '' });
    expect(up.stdout).toMatch(
      new RegExp(`OpenSearch\\s+${env['OPENSEARCH_NODE']}\\s+OpenSearch\\s+${VERSIONS.opensearch}\\s+\\d+\\s+started now`),
    );
    // and it runs from the system user's own directory outside the checkout, which holds the data moved over
    const owner = Number(spawnSync('id', ['-u', OPENSEARCH_SYSTEM_USER], { encoding: 'utf8' }).stdout.trim());
    expect(statSync(systemUserDir).uid).toBe(owner);
    expect(statSync(systemUserDir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(systemUserDir, 'data', 'kept-by-an-earlier-run'))).toBe(true);
    expect(existsSync(legacyData)).toBe(false);
    // and up, status and down find it again
    const again = await cli('up', 'opensearch');
    expect(again.stdout).toMatch(new RegExp(`OpenSearch\\s+${env['OPENSEARCH_NODE']}.*already running`));
    const status = await cli('status');
    expect(status.stdout).toMatch(
      new RegExp(`OpenSearch\\s+${env['OPENSEARCH_NODE']}\\s+up\\s+${VERSIONS.opensearch}\\s+\\d+\\s+local-stack`),
    );

    const down = await cli('down', 'opensearch');
    expect(down.stdout).toMatch(/opensearch\s+\d+\s+stopped/);
    expect(await portOpen('127.0.0.1', Number(new URL(env['OPENSEARCH_NODE'] ?? '').port))).toBe(false);
    // and the stack this test run itself uses (another checkout's, on the default port) is untouched
    expect(await probeOpenSearch(stackEndpointMap().opensearch)).toMatchObject({ state: 'healthy' });
  });
});

/** Exit code, and the output only on failure (so that a failed assertion shows why). */
function outcome(run: CliRun): { code: number | null; failure: string } {
  return { code: run.code, failure: run.code === 0 ? '' : `${run.stderr}${run.stdout}` };
}

/** Puts the OpenSearch download into the copy's cache (fetching it into this workspace's cache first if needed). */
async function seedOpenSearchDownload(checkout: string): Promise<void> {
  const source = stackPaths();
  if (!openSearchServer.isInstalled(source)) await openSearchServer.install(source, (line) => process.stderr.write(`${line}\n`));
  const target = join(checkout, '.cache', 'local-stack', 'opensearch');
  mkdirSync(target, { recursive: true });
  cpSync(join(source.cache, 'opensearch', `opensearch-${VERSIONS.opensearch}`), join(target, `opensearch-${VERSIONS.opensearch}`), {
    recursive: true,
  });
}
