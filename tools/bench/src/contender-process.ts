import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ChildProcessFailedError } from './errors';
import type { BatchTiming, ContenderReply, SyntheticWorkload } from './types';

/** A contender of `bench:peer` loaded in its own Node process. */
export interface ContenderProcess {
  /** Runs one workload (the child builds the batches from it) and returns the per-batch timings. */
  run(workload: SyntheticWorkload): Promise<readonly BatchTiming[]>;
  stop(): void;
}

/**
 * Starts `contender-child.ts` under tsx with `env` and waits until it has loaded its module.
 *
 * @example
 * const ours = await startContender('ours', { ...process.env, CONTENDER: 'ours', CONTENDER_MODULE: bundle, CONTENDER_NODE: node });
 * const timings = await ours.run(workload);
 */
export async function startContender(label: string, env: NodeJS.ProcessEnv): Promise<ContenderProcess> {
  const child = fork(path.join(__dirname, 'contender-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  await nextReply(child, label, () => stderr);
  return {
    run: async (workload) => {
      child.send({ workload });
      const reply = await nextReply(child, label, () => stderr);
      if (reply.kind !== 'timings')
        throw new ChildProcessFailedError(
          `${label} contender`,
          null,
          reply.kind === 'error' ? reply.message : `unexpected reply ${reply.kind}`,
        );
      return reply.timings;
    },
    stop: () => void child.kill(),
  };
}

function nextReply(child: ChildProcess, label: string, stderr: () => string): Promise<ContenderReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: ContenderReply): void => {
      child.off('exit', onExit);
      if (reply.kind === 'error') reject(new ChildProcessFailedError(`${label} contender`, null, reply.message));
      else resolve(reply);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new ChildProcessFailedError(`${label} contender`, code, stderr()));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}
