import { setTimeout as delay } from 'node:timers/promises';
import { HEALTH_POLL_MS, LOG_PREFIX, STOP_TIMEOUT_MS } from './constants';
import { stackEndpointMap } from './config';
import {
  EndpointChangedError,
  ExternalServerUnreachableError,
  LocalStackError,
  PortInUseError,
  ServerExitedError,
  ServerNotHealthyError,
  StackUpError,
  StartInterruptedError,
} from './errors';
import { otherLeaseHolders, withStackLock } from './lock';
import { tailFile } from './log-tail';
import { logFile, ownedDirs, pidFile, stackPaths } from './paths';
import { readPidRecord, removePidRecord, writePidRecord } from './pid-files';
import { groupAlive, looksLikeOurs, spawnDetached, stopGroup } from './processes';
import { SERVERS } from './servers';
import {
  SERVER_NAMES,
  type EnsureStackUpOptions,
  type Endpoint,
  type LogFn,
  type ProbeResult,
  type ServerDefinition,
  type ServerName,
  type ServerOrigin,
  type ServerStatus,
  type ServerUpReport,
  type StackPaths,
  type StackUpResult,
  type StopReport,
  type StopStackOptions,
} from './types';

/** Progress lines go to stderr so that a command's stdout stays clean. */
export const defaultLog: LogFn = (line) => process.stderr.write(`${LOG_PREFIX} ${line}\n`);

/**
 * Brings the local stack up: reuses servers that already run (ours or external), fetches what is missing,
 * starts the rest in parallel and waits until each is healthy. Idempotent.
 * Throws {@link StackUpError} (one message per failed server) when any server cannot be brought up;
 * servers started by this call before the failure are listed in `error.started`.
 *
 * @example
 * const { servers, started } = await ensureStackUp();
 */
export async function ensureStackUp(options: EnsureStackUpOptions = {}): Promise<StackUpResult> {
  const log = options.log ?? defaultLog;
  const endpoints = stackEndpointMap(options.env);
  const names = options.servers ?? SERVER_NAMES;
  const paths = stackPaths();
  return withStackLock(paths, log, async () => {
    const settled = await Promise.allSettled(names.map((name) => bringUp(SERVERS[name], endpoints[name], paths, log, options.signal)));
    const servers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const started = servers.filter((server) => server.origin === 'started').map((server) => server.name);
    const errors = settled.flatMap((result) => (result.status === 'rejected' ? [asError(result.reason)] : []));
    if (errors.length > 0) throw new StackUpError(errors, started);
    return { servers, started };
  });
}

/**
 * Stops the servers the pid files say we started (SIGTERM to the process group, SIGKILL after a timeout) and removes
 * their pid files. Never touches servers we did not start.
 *
 * @example
 * await stopStack({ servers: result.started });
 */
export async function stopStack(options: StopStackOptions = {}): Promise<StopReport[]> {
  const log = options.log ?? defaultLog;
  const paths = stackPaths();
  const names = options.servers ?? SERVER_NAMES;
  return withStackLock(paths, log, async () => {
    const holders = options.respectLeases ? otherLeaseHolders(paths) : [];
    return Promise.all(names.map((name) => stopServer(name, paths, holders, log)));
  });
}

/**
 * Probes every server: up or down, version, and whether we started it.
 *
 * @example
 * const allUp = (await stackStatus()).every((server) => server.up);
 */
export async function stackStatus(env?: Readonly<Record<string, string | undefined>>): Promise<ServerStatus[]> {
  const endpoints = stackEndpointMap(env);
  const paths = stackPaths();
  return Promise.all(SERVER_NAMES.map((name) => serverStatus(SERVERS[name], endpoints[name], paths)));
}

async function bringUp(
  server: ServerDefinition,
  endpoint: Endpoint,
  paths: StackPaths,
  log: LogFn,
  signal: AbortSignal | undefined,
): Promise<ServerUpReport> {
  const startedAt = Date.now();
  const report = (origin: ServerOrigin, version: string, pid: number | undefined): ServerUpReport => ({
    name: server.name,
    title: server.title,
    software: server.software,
    endpoint: endpoint.url,
    version,
    origin,
    pid,
    seconds: (Date.now() - startedAt) / 1000,
  });
  const record = readPidRecord(paths, server.name);
  const oursRunning = record !== undefined && looksLikeOurs(record.pid, ownedDirs(paths));
  if (oursRunning && record.endpoint === endpoint.url) {
    const version = await waitHealthy(server, endpoint, paths, record.pid, log, { signal, startedHere: false });
    return report('reused', version ?? record.version, record.pid);
  }
  if (record && !oursRunning) {
    log(`${server.title}: the server in ${pidFile(paths, server.name)} (pid ${record.pid}) is gone; starting a new one`);
    removePidRecord(paths, server.name);
  }
  const probe = await server.probe(endpoint);
  if (probe.state === 'healthy') return report('external', probe.version ?? 'unknown', undefined);
  if (probe.state !== 'closed') {
    throw new PortInUseError(server.name, describeServer(server), endpoint.url, endpoint.envVar, probeDetail(probe), endpoint.loopback);
  }
  if (!endpoint.loopback) throw new ExternalServerUnreachableError(endpoint.envVar, endpoint.url, server.title);
  if (oursRunning) throw new EndpointChangedError(server.title, record.endpoint, endpoint.envVar, endpoint.url);
  await installIfMissing(server, paths, log);
  if (signal?.aborted) throw new StartInterruptedError(server.title);
  const launch = await server.prepareLaunch(paths, endpoint, (line) => log(`${server.title}: ${line}`));
  const pid = await spawnDetached(launch, logFile(paths, server.name));
  writePidRecord(paths, server.name, { pid, version: server.version, endpoint: endpoint.url, startedAt: new Date().toISOString() });
  log(`${server.title}: starting ${server.software} ${server.version} (pid ${pid}), log ${logFile(paths, server.name)}`);
  const version = await waitHealthy(server, endpoint, paths, pid, log, { signal, startedHere: true });
  await server.afterStart?.(endpoint);
  return report('started', version ?? server.version, pid);
}

async function installIfMissing(server: ServerDefinition, paths: StackPaths, log: LogFn): Promise<void> {
  if (server.isInstalled(paths)) return;
  const fetchStart = Date.now();
  await server.install(paths, (line) => log(`${server.title}: ${line}`));
  log(`${server.title}: fetched ${server.software} ${server.version} in ${seconds(fetchStart)} s`);
}

/**
 * Waits until our server answers healthy; stops it and throws (with its log tail) when it exits or times out.
 * When the wait is aborted it throws too, stopping the server only if this call started it.
 */
async function waitHealthy(
  server: ServerDefinition,
  endpoint: Endpoint,
  paths: StackPaths,
  pid: number,
  log: LogFn,
  { signal, startedHere }: { signal: AbortSignal | undefined; startedHere: boolean },
): Promise<string | undefined> {
  const deadline = Date.now() + server.healthTimeoutMs;
  let lastProbe: ProbeResult = { state: 'closed' };
  let announced = false;
  while (Date.now() < deadline) {
    if (signal?.aborted) {
      if (startedHere) await stopGroup(pid, STOP_TIMEOUT_MS);
      if (startedHere) removePidRecord(paths, server.name);
      throw new StartInterruptedError(server.title);
    }
    lastProbe = await server.probe(endpoint);
    if (lastProbe.state === 'healthy') return lastProbe.version;
    if (!groupAlive(pid)) {
      removePidRecord(paths, server.name);
      throw new ServerExitedError(server.name, server.title, logFile(paths, server.name), tailFile(logFile(paths, server.name)));
    }
    if (!announced && lastProbe.state !== 'closed') log(`${server.title}: waiting for it to become healthy (${probeDetail(lastProbe)})`);
    announced ||= lastProbe.state !== 'closed';
    await delay(HEALTH_POLL_MS);
  }
  await stopGroup(pid, STOP_TIMEOUT_MS);
  removePidRecord(paths, server.name);
  const file = logFile(paths, server.name);
  throw new ServerNotHealthyError(server.name, server.title, server.healthTimeoutMs, file, tailFile(file), probeDetail(lastProbe));
}

async function stopServer(name: ServerName, paths: StackPaths, leaseHolders: readonly number[], log: LogFn): Promise<StopReport> {
  const record = readPidRecord(paths, name);
  if (!record) return { name, outcome: 'not-running', pid: undefined };
  if (!looksLikeOurs(record.pid, ownedDirs(paths))) {
    removePidRecord(paths, name);
    return { name, outcome: 'not-running', pid: record.pid };
  }
  if (leaseHolders.length > 0) {
    log(`${SERVERS[name].title}: left running, still in use by pid ${leaseHolders.join(', ')}`);
    return { name, outcome: 'in-use', pid: record.pid };
  }
  const outcome = await stopGroup(record.pid, STOP_TIMEOUT_MS);
  removePidRecord(paths, name);
  return { name, outcome, pid: record.pid };
}

async function serverStatus(server: ServerDefinition, endpoint: Endpoint, paths: StackPaths): Promise<ServerStatus> {
  const record = readPidRecord(paths, server.name);
  const ours = record !== undefined && record.endpoint === endpoint.url && looksLikeOurs(record.pid, ownedDirs(paths));
  const probe = await server.probe(endpoint);
  const up = probe.state === 'healthy';
  return {
    name: server.name,
    title: server.title,
    endpoint: endpoint.url,
    up,
    version: probe.state === 'healthy' ? (probe.version ?? (ours ? record.version : undefined)) : undefined,
    pid: ours ? record.pid : undefined,
    owner: ours ? 'local-stack' : up ? 'external' : undefined,
    detail: up ? undefined : probeDetail(probe),
  };
}

/** A short human description of a probe result. */
export function probeDetail(probe: ProbeResult): string {
  switch (probe.state) {
    case 'closed':
      return 'nothing listens on the port';
    case 'healthy':
      return 'healthy';
    case 'not-ready':
    case 'foreign':
      return probe.detail;
  }
}

function describeServer(server: ServerDefinition): string {
  return server.software === server.title ? server.title : `${server.title} (${server.software})`;
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new LocalStackError(String(reason));
}
