import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running null endpoint: its URL, what it answered, and how to stop it. */
export interface NullEndpoint {
  readonly url: string;
  readonly counts: { mget: number; bulk: number; other: number };
  stop(): Promise<void>;
}

/**
 * A loopback HTTP server that acknowledges everything the way OpenSearch would if it cost nothing: `_mget`
 * answers every doc as not found, `_bulk` answers every action as done (201 created, 200 deleted), anything else
 * `{}`. Measuring a client against it leaves OpenSearch's own work out of the figure; run it in another process
 * than the client being measured so that its CPU is not counted either.
 *
 * @example
 * const endpoint = await startNullEndpoint();
 * // OPENSEARCH_NODE=endpoint.url ...
 * await endpoint.stop();
 */
export async function startNullEndpoint(port = 0): Promise<NullEndpoint> {
  const counts = { mget: 0, bulk: 0, other: 0 };
  const server = createServer((request, response) => void answer(request, response, counts));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, counts: NullEndpoint['counts']): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const path = request.url ?? '/';
  let reply: unknown = {};
  if (path.includes('_mget')) {
    counts.mget += 1;
    reply = mgetNotFound(body, indexOfPath(path));
  } else if (path.includes('_bulk')) {
    counts.bulk += 1;
    reply = bulkAllDone(body, indexOfPath(path));
  } else {
    counts.other += 1;
  }
  const text = JSON.stringify(reply);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(request.method === 'HEAD' ? undefined : text);
}

/** `/<index>/_bulk` names a default index; `/_bulk` does not. */
function indexOfPath(path: string): string | undefined {
  const first = path.split('?')[0]?.split('/')[1];
  return first === undefined || first === '' || first.startsWith('_') ? undefined : decodeURIComponent(first);
}

interface Target {
  readonly _index?: string;
  readonly _id?: string;
}

/**
 * The `_mget` answer for a body of `docs` (or `ids`): every document not found.
 *
 * @example
 * mgetNotFound('{"docs":[{"_index":"i","_id":"a"}]}'); // { docs: [{ _index: 'i', _id: 'a', found: false }] }
 */
export function mgetNotFound(body: string, defaultIndex?: string): { docs: Array<Target & { found: false }> } {
  const parsed = JSON.parse(body || '{}') as { docs?: Target[]; ids?: string[] };
  const targets: Target[] = parsed.docs ?? (parsed.ids ?? []).map((id) => ({ _id: id }));
  return { docs: targets.map((target) => ({ _index: target._index ?? defaultIndex ?? '', _id: target._id ?? '', found: false })) };
}

const HAS_SOURCE_LINE: ReadonlySet<string> = new Set(['index', 'create', 'update']);

/**
 * The `_bulk` answer for an NDJSON body: every action done, `errors: false`.
 *
 * @example
 * bulkAllDone('{"create":{"_index":"i","_id":"a"}}\n{"x":1}\n{"delete":{"_index":"i","_id":"b"}}\n').items.length; // 2
 */
export function bulkAllDone(body: string, defaultIndex?: string): { took: number; errors: false; items: Array<Record<string, unknown>> } {
  const lines = body.split('\n');
  const items: Array<Record<string, unknown>> = [];
  for (let line = 0; line < lines.length; line += 1) {
    const text = lines[line] as string;
    if (text.trim() === '') continue;
    const header = JSON.parse(text) as Record<string, Target>;
    const [operation, target] = Object.entries(header)[0] ?? ['index', {}];
    const deleted = operation === 'delete';
    items.push({
      [operation]: {
        _index: target._index ?? defaultIndex ?? '',
        _id: target._id ?? '',
        _version: 1,
        result: deleted ? 'deleted' : 'created',
        _seq_no: items.length,
        _primary_term: 1,
        status: deleted ? 200 : 201,
      },
    });
    if (HAS_SOURCE_LINE.has(operation)) line += 1;
  }
  return { took: 0, errors: false, items };
}
