import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '@ddb-os/node-io';
import { InvalidOptionError } from './errors';

/** Which requests a rule applies to (all given conditions must hold). */
export interface FaultMatch {
  /** HTTP method, e.g. `POST`. */
  readonly method?: string;
  /** Substring of, or pattern for, the request path with its query string, e.g. `/_bulk`. */
  readonly path?: string | RegExp;
}

/**
 * What a rule does to a matching request:
 * - `status`: answer with this status (e.g. 429, 503) without forwarding;
 * - `delay`: forward after `ms` milliseconds;
 * - `hang`: never answer (the client times out); released when the rule is removed or the proxy stops;
 * - `bulk-items`: make the `_bulk` items of these document ids fail with `status`. With `keepInRequest`
 *   (default true) the cluster applies them and only the response lies (a lost acknowledgement); with
 *   `keepInRequest: false` they are taken out of the forwarded request, as a real rejection would.
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'bulk-items'; readonly status: number; readonly ids: readonly string[]; readonly keepInRequest?: boolean };

/** One fault injection rule; rules are tried in the order they were added, the first match applies. */
export interface FaultRule {
  readonly match?: FaultMatch;
  readonly fault: Fault;
  /** How many requests the rule applies to before it retires. @default unlimited */
  readonly times?: number;
}

/** A rule added to a running proxy. */
export interface FaultRuleHandle {
  /** Requests the rule applied to so far. */
  readonly hits: number;
  /** Stops applying the rule (and releases the requests it holds). */
  remove(): void;
}

/** What the proxy did so far. */
export interface FaultCounters {
  requests: number;
  forwarded: number;
  injected: { status: number; delay: number; hang: number; bulkItems: number };
}

/** A running fault proxy. */
export interface FaultProxy {
  /** Base URL to give the client instead of the real node, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly counters: FaultCounters;
  addRule(rule: FaultRule): FaultRuleHandle;
  /** Removes every rule (and releases held requests). */
  clearRules(): void;
  stop(): Promise<void>;
}

/** Options of `startFaultProxy`. */
export interface FaultProxyOptions {
  /** The real server, e.g. `stackEndpoints().opensearch`. */
  readonly target: string;
  /** Loopback port to listen on. @default 0 (any free port) */
  readonly port?: number;
}

interface ActiveRule {
  readonly rule: FaultRule;
  hits: number;
  removed: boolean;
  readonly held: Set<ServerResponse>;
}

interface BufferedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A `_bulk` action: its header line, its source line (none for `delete`), and who it targets. */
interface BulkLinePair {
  readonly lines: string[];
  readonly action: string;
  readonly index: string | undefined;
  readonly id: string | undefined;
}

/**
 * Starts an HTTP proxy on loopback in front of `target` (a real OpenSearch) that injects faults per rule:
 * whole-request statuses (429/503), delays, hangs (timeouts), or failed `_bulk` items for chosen ids.
 *
 * @example
 * const proxy = await startFaultProxy({ target: stackEndpoints().opensearch });
 * proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'status', status: 429 }, times: 2 });
 * const client = openSearchClient({ node: proxy.url });
 * // … the first two bulk requests get 429 …
 * await proxy.stop();
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = parseTarget(options.target);
  const rules: ActiveRule[] = [];
  const counters: FaultCounters = { requests: 0, forwarded: 0, injected: { status: 0, delay: 0, hang: 0, bulkItems: 0 } };

  const server = createServer((incoming, response) => {
    void handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 502, { error: { type: 'fault_proxy_error', reason: String(error) } });
      } else {
        response.destroy();
      }
    });
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const buffered = await bufferRequest(incoming);
    counters.requests += 1;
    const active = rules.find((candidate) => applies(candidate, buffered));
    if (active === undefined) {
      return forwardAndPipe(buffered, response);
    }
    active.hits += 1;
    const { fault } = active.rule;
    switch (fault.kind) {
      case 'status':
        counters.injected.status += 1;
        return sendJson(response, fault.status, fault.body ?? injectedError(fault.status));
      case 'delay':
        counters.injected.delay += 1;
        await sleep(fault.ms);
        return forwardAndPipe(buffered, response);
      case 'hang':
        counters.injected.hang += 1;
        active.held.add(response);
        return;
      case 'bulk-items':
        return failBulkItems(buffered, response, fault);
    }
  }

  async function forwardAndPipe(buffered: BufferedRequest, response: ServerResponse): Promise<void> {
    const upstream = await forward(target, buffered);
    counters.forwarded += 1;
    response.writeHead(upstream.statusCode ?? 502, upstream.headers);
    upstream.pipe(response);
  }

  async function failBulkItems(
    buffered: BufferedRequest,
    response: ServerResponse,
    fault: Extract<Fault, { kind: 'bulk-items' }>,
  ): Promise<void> {
    const failing = new Set(fault.ids);
    const pairs = parseBulk(buffered.body.toString('utf8'));
    const keep = fault.keepInRequest ?? true;
    const sent = keep ? pairs : pairs.filter((pair) => pair.id === undefined || !failing.has(pair.id));
    let upstreamItems: Array<Record<string, Record<string, unknown>>> = [];
    let took = 0;
    if (sent.length > 0) {
      const upstream = await forward(target, {
        ...buffered,
        body: Buffer.from(
          sent
            .flatMap((pair) => pair.lines)
            .map((line) => `${line}\n`)
            .join(''),
        ),
      });
      counters.forwarded += 1;
      const text = (await readAll(upstream)).toString('utf8');
      if ((upstream.statusCode ?? 500) >= 300) {
        response.writeHead(upstream.statusCode ?? 502, { 'content-type': 'application/json' });
        response.end(text);
        return;
      }
      const parsed = JSON.parse(text) as { took?: number; items?: Array<Record<string, Record<string, unknown>>> };
      upstreamItems = parsed.items ?? [];
      took = parsed.took ?? 0;
    }
    const items: Array<Record<string, Record<string, unknown>>> = [];
    let next = 0;
    for (const pair of pairs) {
      const failed = pair.id !== undefined && failing.has(pair.id);
      const upstreamItem = keep || !failed ? upstreamItems[next++] : undefined;
      if (failed) {
        counters.injected.bulkItems += 1;
        items.push({ [pair.action]: { _index: pair.index, _id: pair.id, status: fault.status, error: injectedError(fault.status).error } });
      } else if (upstreamItem !== undefined) {
        items.push(upstreamItem);
      }
    }
    sendJson(response, 200, { took, errors: true, items });
  }

  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const release = (active: ActiveRule): void => {
    active.removed = true;
    active.held.forEach((held) => held.destroy());
    active.held.clear();
  };

  return {
    url,
    counters,
    addRule(rule: FaultRule): FaultRuleHandle {
      validateRule(rule);
      const active: ActiveRule = { rule, hits: 0, removed: false, held: new Set() };
      rules.push(active);
      return {
        get hits(): number {
          return active.hits;
        },
        remove(): void {
          release(active);
          rules.splice(rules.indexOf(active), 1);
        },
      };
    },
    clearRules(): void {
      rules.splice(0).forEach(release);
    },
    async stop(): Promise<void> {
      rules.splice(0).forEach(release);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function applies(active: ActiveRule, request: BufferedRequest): boolean {
  const { rule } = active;
  if (active.removed || (rule.times !== undefined && active.hits >= rule.times)) return false;
  if (rule.match?.method !== undefined && rule.match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  const path = rule.match?.path;
  if (typeof path === 'string' && !request.path.includes(path)) return false;
  if (path instanceof RegExp && !path.test(request.path)) return false;
  if (rule.fault.kind === 'bulk-items') {
    const ids = new Set(rule.fault.ids);
    return (
      isBulkPath(request.path) && safeParseBulk(request.body.toString('utf8')).some((pair) => pair.id !== undefined && ids.has(pair.id))
    );
  }
  return true;
}

function validateRule(rule: FaultRule): void {
  const { fault } = rule;
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
    throw new InvalidOptionError('times', rule.times, 'an integer ≥ 1');
  }
  if (
    (fault.kind === 'status' || fault.kind === 'bulk-items') &&
    (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)
  ) {
    throw new InvalidOptionError('fault.status', fault.status, 'an HTTP status from 100 to 599');
  }
  if (fault.kind === 'delay' && (!Number.isFinite(fault.ms) || fault.ms < 0)) {
    throw new InvalidOptionError('fault.ms', fault.ms, 'a finite number of milliseconds ≥ 0');
  }
  if (fault.kind === 'bulk-items' && fault.ids.length === 0) {
    throw new InvalidOptionError('fault.ids', fault.ids, 'at least one document id');
  }
}

function parseTarget(target: string): URL {
  const url = URL.canParse(target) ? new URL(target) : undefined;
  if (url === undefined || url.protocol !== 'http:') {
    throw new InvalidOptionError('target', target, 'an http:// URL');
  }
  return url;
}

function isBulkPath(path: string): boolean {
  return /(^|\/)_bulk(\?|$)/.test(path);
}

/** `parseBulk`, or no actions for a body that is not a bulk body (such a request matches no bulk-items rule). */
function safeParseBulk(ndjson: string): BulkLinePair[] {
  try {
    return parseBulk(ndjson);
  } catch {
    return [];
  }
}

/** Splits an NDJSON bulk body into actions (a `delete` has no source line). */
function parseBulk(ndjson: string): BulkLinePair[] {
  const lines = ndjson.split('\n').filter((line) => line.trim() !== '');
  const pairs: BulkLinePair[] = [];
  for (let i = 0; i < lines.length;) {
    const header = lines[i] ?? '{}';
    const parsed = JSON.parse(header) as Record<string, { _index?: string; _id?: string }>;
    const [action, target] = Object.entries(parsed)[0] ?? ['index', {}];
    const width = action === 'delete' ? 1 : 2;
    pairs.push({ lines: lines.slice(i, i + width), action, index: target._index, id: target._id });
    i += width;
  }
  return pairs;
}

function injectedError(status: number): { error: { type: string; reason: string }; status: number } {
  const type = status === 429 ? 'es_rejected_execution_exception' : status >= 500 ? 'unavailable_shards_exception' : 'injected_fault';
  return { error: { type, reason: `injected by the fault proxy (${status})` }, status };
}

async function bufferRequest(incoming: IncomingMessage): Promise<BufferedRequest> {
  return { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers, body: await readAll(incoming) };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function forward(target: URL, buffered: BufferedRequest): Promise<IncomingMessage> {
  const headers: IncomingHttpHeaders = { ...buffered.headers, host: target.host, 'content-length': String(buffered.body.length) };
  delete headers['accept-encoding'];
  delete headers['transfer-encoding'];
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { hostname: target.hostname, port: target.port, method: buffered.method, path: buffered.path, headers },
      resolve,
    );
    outgoing.on('error', reject);
    outgoing.end(buffered.body);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
