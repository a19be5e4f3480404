import { InvalidEndpointError, UnknownServerError } from './errors';
import { ENDPOINT_ENV_VARS, stackEndpoints } from './testing-lib';
import { SERVER_NAMES, type Endpoint, type ServerName, type StackEndpointMap } from './types';

type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

/**
 * Parses the endpoint of every server from the environment (defaults from `@ddb-os/testing`).
 *
 * @example
 * stackEndpointMap({ OPENSEARCH_NODE: 'http://127.0.0.1:9201' }).opensearch.port; // 9201
 */
export function stackEndpointMap(env: Env = process.env): StackEndpointMap {
  const urls = stackEndpoints(env);
  const entries = SERVER_NAMES.map((name) => {
    const envVar = ENDPOINT_ENV_VARS[name];
    return [name, parseEndpoint(envVar, urls[name], Boolean(env[envVar]?.trim()))] as const;
  });
  return Object.fromEntries(entries) as Record<ServerName, Endpoint>;
}

/** Parses one endpoint URL; throws {@link InvalidEndpointError} naming the variable when it is unusable. */
export function parseEndpoint(envVar: string, value: string, fromEnv: boolean): Endpoint {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidEndpointError(envVar, value, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidEndpointError(envVar, value, `the scheme ${url.protocol} is not http: or https:`);
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new InvalidEndpointError(envVar, value, 'it has a path, query or fragment; give only scheme, host and port');
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return {
    url: `${url.protocol}//${url.host}`,
    host: url.hostname,
    port,
    loopback: isLoopbackHost(url.hostname),
    envVar,
    fromEnv,
  };
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The address a local server binds to for this endpoint. */
export function bindAddress(endpoint: Endpoint): string {
  return /^127(\.\d{1,3}){3}$/.test(endpoint.host) ? endpoint.host : '127.0.0.1';
}

/** Validates server names from the command line (empty = all). */
export function parseServerNames(names: readonly string[]): ServerName[] {
  if (names.length === 0) return [...SERVER_NAMES];
  return names.map((name) => {
    const known = SERVER_NAMES.find((candidate) => candidate === name.toLowerCase());
    if (!known) throw new UnknownServerError(name, SERVER_NAMES);
    return known;
  });
}
