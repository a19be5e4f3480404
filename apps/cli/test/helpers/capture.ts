import path from 'node:path';
import { ShutdownSignals } from '../../src/shutdown';
import type { DdbOsContext } from '../../src/program';

/** A context whose output is kept in memory, run from the workspace root. */
export function captured(env: NodeJS.ProcessEnv = {}): DdbOsContext & { output: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return {
    out: { write: (text: string) => (out += text), isTTY: false } as unknown as NodeJS.WritableStream,
    err: { write: (text: string) => (err += text), isTTY: false } as unknown as NodeJS.WriteStream,
    env,
    cwd: WORKSPACE,
    signals: ShutdownSignals.manual(),
    output: () => ({ out, err }),
  };
}

export const WORKSPACE = path.resolve(__dirname, '../../../..');
export const TRANSFORM_DEFINITION = 'apps/cli/test/fixtures/transform-sync.ts';
