/** The servers of the local stack, named after the API they serve. */
export type ServerName = 'dynamodb' | 'opensearch' | 'sqs' | 's3';

export const SERVER_NAMES: readonly ServerName[] = ['dynamodb', 'opensearch', 'sqs', 's3'];

/** An endpoint from the environment (or the default), parsed. */
export interface Endpoint {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Whether the host is a loopback address, i.e. one the local stack may start a server on. */
  readonly loopback: boolean;
  /** The environment variable it comes from. */
  readonly envVar: string;
  /** True when the environment variable was set (false: the default). */
  readonly fromEnv: boolean;
}

export type StackEndpointMap = Readonly<Record<ServerName, Endpoint>>;

/** Directories of the local stack under the workspace. */
export interface StackPaths {
  readonly workspaceRoot: string;
  readonly cache: string;
  readonly run: string;
  readonly data: string;
  readonly downloads: string;
  /**
   * As root only: the workspace's directory outside the checkout that the OpenSearch system user owns (its copy of
   * the distribution with config and logs, data, tmp). Undefined when not root: OpenSearch then runs from the cache.
   */
  readonly systemUserDir: string | undefined;
}

/** How a server is started. */
export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** What a probe of an endpoint found. */
export type ProbeResult =
  | { readonly state: 'closed' }
  | { readonly state: 'healthy'; readonly version: string | undefined }
  | { readonly state: 'not-ready'; readonly detail: string }
  | { readonly state: 'foreign'; readonly detail: string };

export type Tool = 'java' | 'mvn' | 'python3' | 'unzip' | 'runuser' | 'useradd';

/** One server of the stack: how to fetch, start and probe it. */
export interface ServerDefinition {
  readonly name: ServerName;
  /** API it serves, e.g. "OpenSearch". */
  readonly title: string;
  /** Software that serves it locally, e.g. "moto server". */
  readonly software: string;
  readonly version: string;
  readonly healthTimeoutMs: number;
  isInstalled(paths: StackPaths): boolean;
  install(paths: StackPaths, log: LogFn): Promise<void>;
  /** Writes config files, fixes ownership, and returns the command line. */
  prepareLaunch(paths: StackPaths, endpoint: Endpoint, log: LogFn): Promise<LaunchSpec>;
  probe(endpoint: Endpoint): Promise<ProbeResult>;
  /** Runs once a server this stack started is healthy (e.g. cluster settings). */
  afterStart?(endpoint: Endpoint): Promise<void>;
}

export type LogFn = (line: string) => void;

/** Contents of `run/<server>.pid`. */
export interface PidRecord {
  readonly pid: number;
  readonly version: string;
  readonly endpoint: string;
  readonly startedAt: string;
}

/** How a server came to be available after `up`. */
export type ServerOrigin = 'started' | 'reused' | 'external';

export interface ServerUpReport {
  readonly name: ServerName;
  readonly title: string;
  readonly software: string;
  readonly endpoint: string;
  readonly version: string;
  readonly origin: ServerOrigin;
  readonly pid: number | undefined;
  readonly seconds: number;
}

export interface StackUpResult {
  readonly servers: readonly ServerUpReport[];
  /** Servers this call started (the ones its caller should stop). */
  readonly started: readonly ServerName[];
}

export interface ServerStatus {
  readonly name: ServerName;
  readonly title: string;
  readonly endpoint: string;
  readonly up: boolean;
  readonly version: string | undefined;
  readonly pid: number | undefined;
  readonly owner: 'local-stack' | 'external' | undefined;
  readonly detail: string | undefined;
}

export interface StopReport {
  readonly name: ServerName;
  readonly outcome: 'stopped' | 'killed' | 'not-running' | 'in-use';
  readonly pid: number | undefined;
}

/** Options of `ensureStackUp`. */
export interface EnsureStackUpOptions {
  /** Servers to bring up (default all). */
  readonly servers?: readonly ServerName[];
  /** Progress lines (default: console.log). */
  readonly log?: LogFn;
  /** Environment to read endpoints from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Aborting stops the servers still starting and makes `ensureStackUp` reject with `StackUpError`. */
  readonly signal?: AbortSignal;
}

/** Options of `stopStack`. */
export interface StopStackOptions {
  /** Servers to stop (default all that the pid files say we started). */
  readonly servers?: readonly ServerName[];
  /** Leave servers running while another process holds a lease on the stack (with-stack, jest). */
  readonly respectLeases?: boolean;
  readonly log?: LogFn;
}
