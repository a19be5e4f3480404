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
export type StatusPart<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string; readonly cause: string };

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

/** Everything `createApp` needs; all I/O sits behind these. */
export interface AppDependencies {
  readonly items: ItemStore;
  readonly search: SearchService;
  readonly syncStatus: SyncStatusService;
  readonly logger: Logger;
  /** Current time (tests fix it). */
  readonly now?: () => Date;
  /** HTML of the demo page served at `GET /`. */
  readonly page?: string;
}
