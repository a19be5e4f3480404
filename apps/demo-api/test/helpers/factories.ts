import { createServer } from 'node:net';
import type { Hono } from 'hono';
import { createApp } from '../../src/app';
import { silentLogger } from '../../src/logger';
import type {
  AppDependencies,
  ArchivedFailure,
  FailureArchiveService,
  ItemStore,
  ReplayOutcome,
  ReplayService,
  SearchQuery,
  SearchResult,
  SearchService,
  StoredItem,
  SyncStatus,
  SyncStatusService,
  TableKey,
} from '../../src/types';

export const FIXED_NOW = new Date('2026-03-01T12:00:00.000Z');

/** An in-memory {@link ItemStore} with the same contract as the DynamoDB one. */
export class InMemoryItemStore implements ItemStore {
  readonly items = new Map<string, StoredItem>();

  async put(item: StoredItem): Promise<StoredItem | undefined> {
    const previous = this.items.get(keyOf(item));
    this.items.set(keyOf(item), { ...item });
    return previous;
  }

  async update(key: TableKey, changes: Readonly<Record<string, unknown>>): Promise<StoredItem | undefined> {
    const current = this.items.get(keyOf(key));
    if (current === undefined) return undefined;
    const updated = { ...current, ...changes } as StoredItem;
    this.items.set(keyOf(key), updated);
    return updated;
  }

  async remove(key: TableKey): Promise<StoredItem | undefined> {
    const current = this.items.get(keyOf(key));
    this.items.delete(keyOf(key));
    return current;
  }

  async get(key: TableKey): Promise<StoredItem | undefined> {
    return this.items.get(keyOf(key));
  }
}

function keyOf(key: TableKey): string {
  return JSON.stringify([key.pk, key.sk]);
}

/** A {@link SearchService} that records the queries it gets and answers `result`. */
export class RecordingSearch implements SearchService {
  readonly queries: SearchQuery[] = [];

  constructor(private readonly result: SearchResult = { total: 0, items: [], took: 1 }) {}

  async search(query: SearchQuery): Promise<SearchResult> {
    this.queries.push(query);
    return this.result;
  }
}

export function aSyncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    checkedAt: FIXED_NOW.toISOString(),
    runner: null,
    documents: { ok: true, value: { products: 0, reviews: 0 } },
    queues: null,
    lastIndexedChange: { ok: true, value: null },
    ...overrides,
  };
}

export function fixedSyncStatus(status: SyncStatus = aSyncStatus()): SyncStatusService {
  return { status: async () => status };
}

/** Dependencies for `createApp` with in-memory fakes, any of which a test can replace. */
export function fakeDependencies(overrides: Partial<AppDependencies> = {}): AppDependencies {
  return {
    items: new InMemoryItemStore(),
    search: new RecordingSearch(),
    syncStatus: fixedSyncStatus(),
    logger: silentLogger,
    now: () => FIXED_NOW,
    ...overrides,
  };
}

export function anApp(overrides: Partial<AppDependencies> = {}): Hono {
  return createApp(fakeDependencies(overrides));
}

/** A valid `PUT /items/products/:id` body. */
export function aProductInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Oak lamp',
    description: 'A warm desk lamp',
    category: 'lighting',
    price: 49.5,
    tags: ['oak', 'lamp'],
    inStock: true,
    ...overrides,
  };
}

/** A valid `PUT /items/products/:id/reviews/:reviewId` body. */
export function aReviewInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { rating: 4, title: 'Nice light', body: 'Bright and warm.', author: 'Dana', ...overrides };
}

/** Sends a JSON request to `app` (no server needed). */
export async function send(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await app.request(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

/** A loopback TCP port nothing listens on (bound then released), for "connection refused" cases. */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** An archived failure as `GET /api/failures` lists it. */
export function anArchivedFailure(overrides: Partial<ArchivedFailure> = {}): ArchivedFailure {
  return {
    key: 'failures/demo-items/2026/03/01/poison/100-100.ndjson',
    kind: 'poison-record',
    table: 'demo-items',
    reason: 'item does not fit the schema "product": price: expected number, received string',
    sequenceNumbers: { start: '100', end: '100' },
    failedAt: FIXED_NOW.toISOString(),
    archivedAt: FIXED_NOW.toISOString(),
    itemKeys: [{ pk: 'PRODUCT#p-1', sk: 'PRODUCT' }],
    ...overrides,
  };
}

/** A failure archive holding `failures`, owning the keys under `failures/demo-items/`. */
export function fixedFailureArchive(failures: readonly ArchivedFailure[] = [anArchivedFailure()]): FailureArchiveService {
  return { list: async () => failures, owns: (key) => key.startsWith('failures/demo-items/') };
}

/** A {@link ReplayService} that records the keys it replays and answers `status`. */
export class RecordingReplay implements ReplayService {
  readonly keys: string[] = [];

  constructor(
    private readonly answer: (key: string) => Promise<ReplayOutcome> = async (key) => ({
      key,
      status: 'replayed',
      report: { key, status: 'replayed' },
    }),
  ) {}

  async replay(key: string): Promise<ReplayOutcome> {
    this.keys.push(key);
    return this.answer(key);
  }
}
