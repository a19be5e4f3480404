import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stored document of the fake cluster. */
export interface FakeDocument {
  source: Record<string, unknown>;
  seqNo: number;
  primaryTerm: number;
}

/** A request as the fake cluster saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

/** A canned whole-request response, or `'hang'` to never answer (the client times out). */
export type InjectedResponse = { readonly status: number; readonly body: unknown } | 'hang';

/**
 * An in-process HTTP server speaking just enough OpenSearch (`_mget`, `_bulk` with create / index + if_seq_no)
 * to unit-test `applyWrites` without a cluster, with hooks to inject failures.
 */
export class FakeCluster {
  readonly documents = new Map<string, FakeDocument>();
  readonly requests: SeenRequest[] = [];
  /** Whole-request failure injection: return a response to send instead of handling the request. */
  onRequest: (request: SeenRequest) => InjectedResponse | undefined = () => undefined;
  /** Item failure injection: return a status to fail that bulk item with (without applying it). */
  onBulkItem: (id: string, attempt: number) => number | undefined = () => undefined;
  /** Runs after each `_mget` is answered: lets a test play a concurrent writer. */
  afterMget: () => void = () => undefined;
  /** Runs after a `_bulk` is applied: return a response to send instead of the real one (a lost response). */
  afterBulk: () => InjectedResponse | undefined = () => undefined;
  private nextSeqNo = 0;
  private readonly itemAttempts = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;

  /** Starts listening on a free loopback port; returns the node URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.hanging.forEach((response) => response.destroy());
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Stores a document as another writer would (bumps its seq_no). */
  put(index: string, id: string, source: Record<string, unknown>): FakeDocument {
    const document = { source, seqNo: this.nextSeqNo++, primaryTerm: 1 };
    this.documents.set(keyOf(index, id), document);
    return document;
  }

  get(index: string, id: string): FakeDocument | undefined {
    return this.documents.get(keyOf(index, id));
  }

  requestsTo(path: string): SeenRequest[] {
    return this.requests.filter((request) => request.path.startsWith(path));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const seen = { method: request.method ?? 'GET', path: request.url ?? '/', body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(seen);
    const injected = this.onRequest(seen);
    if (injected === 'hang') {
      this.hanging.add(response);
      return;
    }
    if (injected !== undefined) {
      return reply(response, injected.status, injected.body);
    }
    if (seen.path.startsWith('/_mget')) {
      reply(response, 200, this.mget(JSON.parse(seen.body) as { docs: Array<{ _index: string; _id: string }> }));
      this.afterMget();
      return;
    }
    if (seen.path.startsWith('/_bulk')) {
      const result = this.bulk(seen.body);
      const replaced = this.afterBulk();
      if (replaced === 'hang') {
        this.hanging.add(response);
        return;
      }
      return replaced === undefined ? reply(response, 200, result) : reply(response, replaced.status, replaced.body);
    }
    reply(response, 404, { error: { type: 'not_implemented', reason: seen.path } });
  }

  private mget(body: { docs: Array<{ _index: string; _id: string }> }): unknown {
    return {
      docs: body.docs.map(({ _index, _id }) => {
        const document = this.get(_index, _id);
        return document === undefined
          ? { _index, _id, found: false }
          : { _index, _id, found: true, _seq_no: document.seqNo, _primary_term: document.primaryTerm, _source: document.source };
      }),
    };
  }

  private bulk(ndjson: string): unknown {
    const lines = ndjson.split('\n').filter((line) => line !== '');
    const items: unknown[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const header = JSON.parse(lines[i] ?? '{}') as Record<string, { _index: string; _id: string; if_seq_no?: number }>;
      const [action, target] = Object.entries(header)[0] ?? ['index', { _index: '', _id: '' }];
      const source = JSON.parse(lines[i + 1] ?? '{}') as Record<string, unknown>;
      items.push({ [action]: { _index: target._index, _id: target._id, ...this.applyItem(action, target, source) } });
    }
    return { took: 1, errors: items.some((item) => JSON.stringify(item).includes('"error"')), items };
  }

  private applyItem(action: string, target: { _index: string; _id: string; if_seq_no?: number }, source: Record<string, unknown>): object {
    const attempt = (this.itemAttempts.get(target._id) ?? 0) + 1;
    this.itemAttempts.set(target._id, attempt);
    const injected = this.onBulkItem(target._id, attempt);
    if (injected !== undefined) {
      return {
        status: injected,
        error: { type: injected === 400 ? 'mapper_parsing_exception' : 'es_rejected_execution_exception', reason: 'injected' },
      };
    }
    const current = this.get(target._index, target._id);
    const conflict =
      (action === 'create' && current !== undefined) ||
      (action === 'index' && (current === undefined || current.seqNo !== target.if_seq_no));
    if (conflict) {
      return { status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${target._id}]: version conflict` } };
    }
    const stored = this.put(target._index, target._id, source);
    return {
      status: action === 'create' ? 201 : 200,
      result: action === 'create' ? 'created' : 'updated',
      _seq_no: stored.seqNo,
      _primary_term: 1,
    };
  }
}

function keyOf(index: string, id: string): string {
  return `${index}\u0000${id}`;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
