import { ensureStack, stackVersions, type StackVersions } from './local';
import { machineInfo, machineLine } from './machine';
import { reproduceCommand } from './options';
import type { BenchEnvelope, MachineInfo } from './types';

/** The machine and server versions a bench ran on, taken once the local stack is up. */
export interface BenchStart {
  readonly machine: MachineInfo;
  readonly versions: StackVersions;
}

/**
 * Starts whatever part of the local stack is not running, reads the machine and the server versions, and prints
 * them (with `details`, e.g. the seed) as the bench's first line.
 *
 * @example
 * const start = await startBench('latency', [`seed ${seed}`]);
 */
export async function startBench(bench: string, details: readonly string[] = []): Promise<BenchStart> {
  await ensureStack();
  const machine = machineInfo();
  const versions = await stackVersions();
  console.log(`${bench}: ${[machineLine(machine, versions), ...details].join('; ')}`);
  return { machine, versions };
}

/** The fields every result file starts with: what ran, how to repeat it, when and where. */
export function envelopeOf(
  bench: string,
  argv: readonly string[],
  start: BenchStart,
): Pick<BenchEnvelope, 'bench' | 'command' | 'generatedAt' | 'machine' | 'versions'> {
  return {
    bench,
    command: reproduceCommand(bench, argv),
    generatedAt: new Date().toISOString(),
    machine: start.machine,
    versions: start.versions,
  };
}
