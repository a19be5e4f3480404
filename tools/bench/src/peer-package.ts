import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BenchError } from './errors';

/** The naive peer the indexer is compared with, pinned (with the aws-sdk v2 it requires as a peer dependency). */
export const PEER = { name: 'dynamodb-stream-elasticsearch', version: '3.3.1', awsSdkVersion: '2.1693.0' } as const;

/** Where the peer is installed on first use (git-ignored, outside the workspace's dependencies). */
export const PEER_DIR = path.join('.cache', 'bench', 'peer');

/**
 * Installs the pinned peer into `<root>/.cache/bench/peer` unless that exact version is already there, with npm's
 * own client (no install scripts), and returns the path of its entry module.
 *
 * @example
 * const entry = ensurePeerInstalled(process.cwd()); // '/repo/.cache/bench/peer/node_modules/dynamodb-stream-elasticsearch/src/index.js'
 */
export function ensurePeerInstalled(root: string, log: (line: string) => void = () => undefined): string {
  const dir = path.resolve(root, PEER_DIR);
  const packageDir = path.join(dir, 'node_modules', PEER.name);
  if (installedVersion(packageDir) !== PEER.version) {
    log(`installing ${PEER.name}@${PEER.version} into ${dir} (first use)`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'bench-peer', private: true }, null, 2)}\n`);
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--save-exact',
          `${PEER.name}@${PEER.version}`,
          `aws-sdk@${PEER.awsSdkVersion}`,
        ],
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      throw new BenchError(
        `could not install ${PEER.name}@${PEER.version} with npm into ${dir}: ${(error as { stderr?: Buffer }).stderr?.toString().slice(-1000) ?? String(error)}`,
        { cause: error },
      );
    }
    if (installedVersion(packageDir) !== PEER.version) throw new BenchError(`npm did not install ${PEER.name}@${PEER.version} into ${dir}`);
  }
  const main = (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { main?: string }).main ?? 'index.js';
  return path.join(packageDir, main);
}

function installedVersion(packageDir: string): string | undefined {
  const manifest = path.join(packageDir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
}
