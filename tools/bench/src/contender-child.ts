/**
 * Entry point of a child process that holds one contender of `bench:peer` (our indexer bundle, or the peer
 * package) and runs the workloads its parent sends, one batch at a time, timing each handler call. One process per
 * contender keeps each one's heap, GC and JIT to itself, so neither pays for the other.
 *
 * Environment: CONTENDER (`ours` | `peer`), CONTENDER_MODULE (absolute path of the module to require),
 * CONTENDER_NODE (the endpoint both talk to); for the peer CONTENDER_INDEX; for ours the indexer's variables.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { BenchError } from './errors';
import { timeHandler } from './handler-run';
import { recordHttp } from './http-timing';
import type { StreamHandler } from './local';
import { hostAndPort } from './resources';
import { syntheticBatches } from './synthetic';
import type { ContenderReply, ContenderRequest } from './types';

type PushStream = (options: {
  event: DynamoDBStreamEvent;
  endpoint: string;
  index: string;
  refresh: boolean;
  useBulk: boolean;
}) => Promise<void>;

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new BenchError(`contender child: ${name} is not set`);
  return value;
}

/** The contender as a Lambda-shaped handler: ours is one already; the peer's `pushStream` throws on any failed item. */
function loadContender(): StreamHandler {
  const kind = required('CONTENDER');
  // A module chosen at run time (the built bundle, the peer in the cache): only require can load it.
  const loaded = require(required('CONTENDER_MODULE')) as { handler?: StreamHandler; pushStream?: PushStream };
  if (kind === 'ours' && typeof loaded.handler === 'function') return loaded.handler;
  if (kind === 'peer' && typeof loaded.pushStream === 'function') {
    const pushStream = loaded.pushStream;
    const endpoint = required('CONTENDER_NODE');
    const index = required('CONTENDER_INDEX');
    return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      await pushStream({ event, endpoint, index, refresh: false, useBulk: true });
      return { batchItemFailures: [] };
    };
  }
  throw new BenchError(
    `contender child: ${kind} module ${process.env['CONTENDER_MODULE']} has no ${kind === 'ours' ? 'handler' : 'pushStream'} function`,
  );
}

const handler = loadContender();
const recorder = recordHttp(hostAndPort(required('CONTENDER_NODE')));

process.on('message', (message: ContenderRequest) => {
  const { events } = syntheticBatches(message.workload);
  timeHandler(handler, events, recorder).then(
    (timings) => process.send?.({ kind: 'timings', timings } satisfies ContenderReply),
    (error: unknown) =>
      process.send?.({
        kind: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies ContenderReply),
  );
});
process.send?.({ kind: 'ready' } satisfies ContenderReply);
