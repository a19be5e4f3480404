/**
 * The only module of the bench that reaches into the local-only projects: the local stack (to start it,
 * read its versions, and crash and restart OpenSearch), the stream runner (Lambda's event source mapping,
 * in-process) and the testing lib (stack clients, fault proxy). The bench is a local harness by nature
 * (its `scope:bench` tag allows these imports); keeping them here leaves every other module on domain libs only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureStackUp, stackPaths, stackStatus, type ServerName } from '@ddb-os/local-stack';
import { stackEndpoints } from '@ddb-os/testing';
export {
  StreamRunner,
  defaultSqsDestination,
  jsonLogger,
  loadHandler,
  silentLogger,
  type BatchResultEvent,
  type OnFailureDestination,
  type StreamHandler,
} from '@ddb-os/stream-runner';
export {
  createStreamTable,
  createTable,
  deleteTable,
  dynamoClient,
  openSearchClient,
  s3Client,
  sqsClient,
  stackEndpoints,
  startFaultProxy,
  streamsClient,
  uniqueName,
  waitFor,
  type FaultCounters,
  type FaultProxy,
} from '@ddb-os/testing';

/** Versions of the local servers, as the stack reports them. */
export type StackVersions = Readonly<Record<ServerName, string>>;

/** The version of a server this checkout did not start (its version is recorded only by the checkout that did). */
export const UNKNOWN_VERSION = 'unknown (a server this checkout did not start)';

/**
 * Starts whatever part of the local stack is not running (same as `nx run local-stack:up`), and gives the SDK
 * clients that handlers create themselves the stack's credentials and region (unless the environment has some).
 */
export async function ensureStack(
  servers?: readonly ServerName[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  await ensureStackUp({ ...(servers ? { servers } : {}), env, log: (line) => process.stderr.write(`[local-stack] ${line}\n`) });
  const { credentials, region } = stackEndpoints();
  process.env['AWS_ACCESS_KEY_ID'] ??= credentials.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] ??= credentials.secretAccessKey;
  process.env['AWS_REGION'] ??= region;
}

/**
 * Versions of OpenSearch, moto, ElasticMQ and the S3 server, for every result; each result says so when a server
 * was started by another checkout (its version is unknown here) rather than leaving the field out.
 */
export async function stackVersions(): Promise<StackVersions> {
  const statuses = await stackStatus();
  return Object.fromEntries(statuses.map((status) => [status.name, status.version ?? UNKNOWN_VERSION])) as StackVersions;
}

/** The pid of the OpenSearch process group the local stack started, if it started one. */
export function openSearchPid(): number | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(stackPaths().run, 'opensearch.pid'), 'utf8')) as { pid?: unknown };
    return typeof record.pid === 'number' ? record.pid : undefined;
  } catch {
    return undefined;
  }
}

/** Crashes OpenSearch (SIGKILL to its process group, no clean shutdown). Returns the pid, or undefined when it is not ours to kill. */
export function killOpenSearch(): number | undefined {
  const pid = openSearchPid();
  if (pid === undefined) return undefined;
  try {
    process.kill(-pid, 'SIGKILL');
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Starts OpenSearch again on `node` and waits until it is healthy (the local stack's `up` for one server).
 * The endpoint is explicit: a harness may have pointed `OPENSEARCH_NODE` at a proxy for the code it runs.
 */
export async function restartOpenSearch(node: string): Promise<void> {
  await ensureStack(['opensearch'], { ...process.env, OPENSEARCH_NODE: node });
}
