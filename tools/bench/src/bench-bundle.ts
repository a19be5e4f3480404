import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { BenchError } from './errors';

/** Where the bench's indexer bundle is written (relative to the workspace root). */
export const BENCH_BUNDLE = 'dist/tools/bench/indexer/index.js';

const BENCH_INDEXER_ENTRY = 'tools/bench/src/bench-indexer.ts';
const INDEXER_PROJECT = 'apps/indexer/project.json';

/** The options of `nx run indexer:bundle` (`@nx/esbuild:esbuild`) that shape the output. */
interface IndexerBundleOptions {
  readonly platform: 'node';
  readonly format: readonly ('cjs' | 'esm')[];
  readonly target: string;
  readonly minify: boolean;
  readonly esbuildOptions?: { readonly legalComments?: 'none' | 'inline' | 'eof' };
}

/**
 * Bundles the bench's indexer (`bench-indexer.ts`: the indexer's handler over the bench's definition) with the
 * options of the indexer's own bundle (`apps/indexer/project.json`, target `bundle`): same platform, format, target,
 * minification and third-party bundling, so that it costs what the shipped bundle costs while writing to the bench's
 * unique indexes. Returns the bundle's absolute path.
 *
 * @example
 * const bundle = await buildBenchIndexer(process.cwd());
 */
export async function buildBenchIndexer(root: string): Promise<string> {
  const options = indexerBundleOptions(root);
  const outfile = path.join(root, BENCH_BUNDLE);
  const format = options.format[0] ?? 'cjs';
  await build({
    absWorkingDir: root,
    entryPoints: [BENCH_INDEXER_ENTRY],
    outfile,
    bundle: true,
    platform: options.platform,
    format,
    target: options.target,
    minify: options.minify,
    sourcemap: false,
    legalComments: options.esbuildOptions?.legalComments ?? 'none',
    tsconfig: 'tools/bench/tsconfig.json',
    logLevel: 'warning',
  });
  return outfile;
}

function indexerBundleOptions(root: string): IndexerBundleOptions {
  const file = path.join(root, INDEXER_PROJECT);
  const project = JSON.parse(readFileSync(file, 'utf8')) as { targets?: { bundle?: { options?: IndexerBundleOptions } } };
  const options = project.targets?.bundle?.options;
  if (options === undefined) throw new BenchError(`${file} has no bundle target options: the bench bundles its indexer with them`);
  return options;
}
