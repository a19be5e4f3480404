import type { Logger } from './logger';

/** Primary key of the single-table design. */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

/** An item as stored in the table: its key, `entityType` and the entity's fields. */
export type StoredItem = TableKey & { readonly entityType: string } & Record<string, unknown>;

/** Item persistence (DynamoDB in production; a map in unit tests). `undefined` means "no such item". */
export interface ItemStore {
  /** Writes the whole item, replacing any previous version, and returns that previous version (`undefined`: created). */
  put(item: StoredItem): Promise<StoredItem | undefined>;
  /** Sets `changes` on an existing item and returns the new item; `undefined` when it does not exist. */
  update(key: TableKey, changes: Readonly<Record<string, unknown>>): Promise<StoredItem | undefined>;
  /** Deletes the item and returns what it was; `undefined` when it did not exist. */
  remove(key: TableKey): Promise<StoredItem | undefined>;
  get(key: TableKey): Promise<StoredItem | undefined>;
}

export type SearchSort = 'price:asc' | 'updatedAt:desc' | '_score';

/** A validated `GET /search` query. */
export interface SearchQuery {
  readonly q: string | undefined;
  readonly type: 'product' | 'review' | undefined;
  readonly category: string | undefined;
  readonly minPrice: number | undefined;
  readonly maxPrice: number | undefined;
  readonly inStock: boolean | undefined;
  readonly tag: string | undefined;
  readonly sort: SearchSort | undefined;
  readonly from: number;
  readonly size: number;
}

export interface SearchResult {
  readonly total: number;
  /** Indexed documents without their `ddbSync` metadata. */
  readonly items: readonly Record<string, unknown>[];
  /** Milliseconds OpenSearch spent on the query. */
  readonly took: number;
}

/** Full-text search over the read aliases. */
export interface SearchService {
  search(query: SearchQuery): Promise<SearchResult>;
}

/** One part of the sync status: its value, or why it could not be read. */
export type StatusPart<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string; readonly cause: string };

export interface LastIndexedChange {
  readonly index: string;
  readonly id: string;
  readonly indexedAt: string;
  readonly deleted: boolean;
  readonly eventName: string | undefined;
  readonly source: string | undefined;
}

export interface SyncStatus {
  readonly checkedAt: string;
  /** The in-process stream runner's `status()`, or `null` when this server runs none. */
  readonly runner: StatusPart<unknown> | null;
  /** Live documents per read alias. */
  readonly documents: StatusPart<Record<string, number>>;
  /** ApproximateNumberOfMessages per configured queue (`deadLetter`, `onFailure`); `null` when no queue is configured. */
  readonly queues: StatusPart<Record<string, number>> | null;
  readonly lastIndexedChange: StatusPart<LastIndexedChange | null>;
}

export interface SyncStatusService {
  status(): Promise<SyncStatus>;
}

/** One archived failure as the failure panel lists it. */
export interface ArchivedFailure {
  /** The archive object's key (what replay takes). */
  readonly key: string;
  /** `poison-record` (dead-lettered by the indexer), `stream-batch` / `lost-range` (a batch given up on), `unparseable`. */
  readonly kind: string;
  readonly table: string | null;
  /** The indexer's reason for a poison record, Lambda's condition for a given-up batch. */
  readonly reason: string;
  /** The failed range of sequence numbers (a poison record: its own number twice). */
  readonly sequenceNumbers: { readonly start: string; readonly end: string } | null;
  /** When the failure happened (ISO). */
  readonly failedAt: string;
  readonly archivedAt: string;
  /** The keys of the items its records are about, in record order, without repeats. */
  readonly itemKeys: readonly Record<string, unknown>[];
}

/** The failure archive, as the page shows it. */
export interface FailureArchiveService {
  /** Archived failures of the demo table that are not replayed yet, newest first. */
  list(): Promise<readonly ArchivedFailure[]>;
  /** Whether `key` names an archive object of the demo table (the only ones the page may replay). */
  owns(key: string): boolean;
}

/** What replaying one archive object did (replay's own report, `status` first). */
export interface ReplayOutcome {
  readonly key: string;
  /** `replayed`, `needs-repair`, `failed`, `manual` (see `tools/replay`). */
  readonly status: string;
  readonly report: Readonly<Record<string, unknown>>;
}

/** Replays archived failures with `tools/replay`. */
export interface ReplayService {
  replay(key: string): Promise<ReplayOutcome>;
}

/** Everything `createApp` needs; all I/O sits behind these. */
export interface AppDependencies {
  readonly items: ItemStore;
  readonly search: SearchService;
  readonly syncStatus: SyncStatusService;
  /** The failure panel; absent when no archive is configured. */
  readonly failures?: { readonly archive: FailureArchiveService; readonly replay: ReplayService };
  readonly logger: Logger;
  /** Current time (tests fix it). */
  readonly now?: () => Date;
  /** HTML of the demo page served at `GET /`. */
  readonly page?: string;
}
