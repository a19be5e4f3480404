import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidOptionError } from '../../src/errors';
import { startFaultProxy, type FaultProxy } from '../../src/fault-proxy';

/** A stand-in for OpenSearch: `_bulk` answers 201 per action and records what it received; anything else echoes. */
class StubUpstream {
  readonly bulkBodies: string[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let reply: unknown = { path: request.url, method: request.method };
        if (request.url?.startsWith('/_bulk')) {
          this.bulkBodies.push(body);
          const headers = body.split('\n').filter((line, i) => line !== '' && i % 2 === 0);
          const items = headers.map((line) => {
            const [action, target] = Object.entries(JSON.parse(line) as Record<string, { _id: string }>)[0] ?? ['index', { _id: '' }];
            return { [action]: { _index: 'x-v1', _id: target._id, status: 201, result: 'created' } };
          });
          reply = { took: 3, errors: false, items };
        }
        const text = JSON.stringify(reply);
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        response.end(text);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const bulkBody = (...ids: string[]): string => ids.map((id) => `{"index":{"_index":"x","_id":"${id}"}}\n{"n":"${id}"}\n`).join('');

describe('startFaultProxy', () => {
  let upstream: StubUpstream;
  let proxy: FaultProxy;

  beforeEach(async () => {
    upstream = new StubUpstream();
    proxy = await startFaultProxy({ target: await upstream.start() });
  });

  afterEach(async () => {
    await proxy.stop();
    await upstream.stop();
  });

  const post = (path: string, body: string, signal?: AbortSignal): Promise<Response> =>
    fetch(`${proxy.url}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-ndjson' },
      ...(signal ? { signal } : {}),
    });

  it('forwards requests unchanged when no rule matches', async () => {
    const response = await fetch(`${proxy.url}/_cluster/health?pretty`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ path: '/_cluster/health?pretty', method: 'GET' });
    expect(proxy.counters).toMatchObject({ requests: 1, forwarded: 1 });
  });

  it('answers matching requests with an injected status, the given number of times', async () => {
    // given a rule failing the next two bulk requests with 429
    const rule = proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'status', status: 429 }, times: 2 });
    // when three bulk requests are sent
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post('/_bulk', bulkBody('a'))).status);
    // then
    expect(statuses).toEqual([429, 429, 200]);
    expect(rule.hits).toBe(2);
    expect(proxy.counters.injected.status).toBe(2);
    expect(upstream.bulkBodies).toHaveLength(1);
  });

  it('gives 503 bodies the shape of an OpenSearch error', async () => {
    proxy.addRule({ fault: { kind: 'status', status: 503 } });
    const response = await post('/_bulk', bulkBody('a'));
    expect(await response.json()).toEqual({
      error: { type: 'unavailable_shards_exception', reason: 'injected by the fault proxy (503)' },
      status: 503,
    });
  });

  it('delays matching requests before forwarding them', async () => {
    proxy.addRule({ match: { method: 'GET' }, fault: { kind: 'delay', ms: 300 } });
    const started = Date.now();
    const response = await fetch(`${proxy.url}/`);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(proxy.counters.injected.delay).toBe(1);
  });

  it('holds hanging requests until the client gives up', async () => {
    proxy.addRule({ match: { path: '/_bulk' }, fault: { kind: 'hang' } });
    await expect(post('/_bulk', bulkBody('a'), AbortSignal.timeout(200))).rejects.toThrow();
    expect(proxy.counters.injected.hang).toBe(1);
    expect(upstream.bulkBodies).toHaveLength(0);
  });

  it('fails chosen bulk items after the cluster applied them (a lost acknowledgement)', async () => {
    // given a rule failing item "b"
    proxy.addRule({ fault: { kind: 'bulk-items', status: 503, ids: ['b'] } });
    // when
    const body = (await (await post('/_bulk', bulkBody('a', 'b', 'c'))).json()) as {
      errors: boolean;
      items: Array<{ index: { _id: string; status: number } }>;
    };
    // then the whole bulk reached the cluster, and the response says "b" failed
    expect(upstream.bulkBodies[0]).toBe(bulkBody('a', 'b', 'c'));
    expect(body.errors).toBe(true);
    expect(body.items.map((item) => [item.index._id, item.index.status])).toEqual([
      ['a', 201],
      ['b', 503],
      ['c', 201],
    ]);
    expect(proxy.counters.injected.bulkItems).toBe(1);
  });

  it('rejects chosen bulk items without forwarding them, keeping item positions', async () => {
    proxy.addRule({ fault: { kind: 'bulk-items', status: 429, ids: ['a', 'c'], keepInRequest: false } });
    const body = (await (await post('/_bulk', bulkBody('a', 'b', 'c'))).json()) as {
      items: Array<{ index: { _id: string; status: number } }>;
    };
    expect(upstream.bulkBodies[0]).toBe(bulkBody('b'));
    expect(body.items.map((item) => [item.index._id, item.index.status])).toEqual([
      ['a', 429],
      ['b', 201],
      ['c', 429],
    ]);
  });

  it('leaves bulks without the chosen ids alone', async () => {
    const rule = proxy.addRule({ fault: { kind: 'bulk-items', status: 429, ids: ['zzz'] } });
    const body = (await (await post('/_bulk', bulkBody('a'))).json()) as { errors: boolean };
    expect(body.errors).toBe(false);
    expect(rule.hits).toBe(0);
  });

  it('stops applying removed and cleared rules', async () => {
    const rule = proxy.addRule({ fault: { kind: 'status', status: 503 } });
    rule.remove();
    expect((await post('/_bulk', bulkBody('a'))).status).toBe(200);
    proxy.addRule({ fault: { kind: 'status', status: 503 } });
    proxy.clearRules();
    expect((await post('/_bulk', bulkBody('a'))).status).toBe(200);
  });

  it.each([
    [{ fault: { kind: 'status', status: 42 } }, 'fault.status'],
    [{ fault: { kind: 'delay', ms: -1 } }, 'fault.ms'],
    [{ fault: { kind: 'bulk-items', status: 429, ids: [] } }, 'fault.ids'],
    [{ fault: { kind: 'hang' }, times: 0 }, 'times'],
  ] as const)('rejects an invalid rule %j, naming the option', (rule, option) => {
    expect(() => proxy.addRule(rule)).toThrow(InvalidOptionError);
    expect(() => proxy.addRule(rule)).toThrow(option);
  });

  it('rejects a target that is not an http URL', async () => {
    await expect(startFaultProxy({ target: 'localhost:9200' })).rejects.toThrow(InvalidOptionError);
  });
});
