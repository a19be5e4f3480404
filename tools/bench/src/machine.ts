import os from 'node:os';
import type { MachineInfo } from './types';

/**
 * Describes this machine.
 *
 * @example
 * machineInfo().cores; // 2
 */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/**
 * One line for the console and the Markdown result.
 *
 * @example
 * machineLine(machineInfo(), { opensearch: '2.19.6', dynamodb: '5.2.5' });
 */
export function machineLine(machine: MachineInfo, versions: Readonly<Record<string, string | undefined>>): string {
  const servers = Object.entries(versions)
    .map(([name, version]) => `${SERVER_SOFTWARE[name] ?? name} ${version ?? '?'}`)
    .join(', ');
  return `${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}; ${servers}; load average at start ${machine.loadAverageAtStart.join(' / ')}`;
}

const SERVER_SOFTWARE: Readonly<Record<string, string>> = { dynamodb: 'moto', opensearch: 'OpenSearch', sqs: 'ElasticMQ', s3: 'S3Proxy' };
