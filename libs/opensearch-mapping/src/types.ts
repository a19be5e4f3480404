import type { JsonObject } from '@ddb-os/stream-decoding';

// Re-exported so callers of this package need not know where the JSON types live.
export type { JsonObject, JsonValue } from '@ddb-os/stream-decoding';

/** DynamoDB Streams event names. */
export type ChangeEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** The parts of a decoded stream change that routing looks at (a `DecodedChange` fits). */
export interface RoutableChange {
  readonly eventName: ChangeEventName;
  readonly keys: JsonObject;
  readonly newImage: JsonObject | undefined;
  readonly oldImage: JsonObject | undefined;
}

/** Route items whose string attribute equals a value. */
export type EqualsMatch = { attribute: string; equals: string };
/** Route items whose string attribute starts with a prefix (e.g. a key such as `PRODUCT#…`). */
export type PrefixMatch = { attribute: string; prefix: string };
/** Route every item (a catch-all; only useful as the last route). */
export type AlwaysMatch = { always: true };
export type RouteMatch = EqualsMatch | PrefixMatch | AlwaysMatch;

/** One route of a sync (runtime form, see `ResolvedSync.routes`): which items go to which index. */
export interface IndexRoute {
  /** Base index name: the read alias; the physical index and write alias derive from it. */
  index: string;
  /** Names the route's zod schema (`routes[<n>].schema`; the sync definition holds the schema, `DocumentShapes` applies it). */
  schema?: string;
  match: RouteMatch;
}

/** OpenSearch `dynamic` setting: `'strict'` rejects documents with unmapped fields, `false` stores them unindexed. */
export type DynamicMode = 'strict' | false | true;

/** Full-text field with an exact-match `keyword` subfield `<field>.raw`. */
export type TextFieldMapping = { type: 'text'; fields: { raw: { type: 'keyword'; ignore_above: number } } };
/** A field mapped to one scalar OpenSearch type. */
export type ScalarFieldMapping = { type: 'keyword' | 'date' | 'long' | 'double' | 'boolean' | 'flat_object' };
/** An object OpenSearch stores in `_source` without parsing or indexing it. */
export type DisabledObjectMapping = { type: 'object'; enabled: false };
/** An object field with its own sub-fields; `dynamic` only when it differs from its parent. */
export type ObjectFieldMapping = { dynamic?: DynamicMode; properties: Record<string, FieldMapping> };
export type FieldMapping = TextFieldMapping | ScalarFieldMapping | DisabledObjectMapping | ObjectFieldMapping;

/** The `mappings` body of an OpenSearch index. */
export type IndexMappings = { dynamic: DynamicMode; properties: Record<string, FieldMapping> };

/**
 * How the items of a sync become documents, and the mappings those documents need: what every writer (indexer,
 * backfill, replay, repair) and verify apply, so they compare like with like. Built from the sync definition
 * (`@ddb-os/sync-definition`).
 */
export interface DocumentShapes {
  /**
   * The document an item becomes in its route's index: the route's schema parses it (unknown attributes are dropped,
   * so a strict mapping never sees them), then its transform shapes it.
   * @throws Error naming what does not fit (the schema's fields, a computed field): every writer treats the item as poison.
   */
  documentOf(item: JsonObject, route: IndexRoute): JsonObject;
  /** The mappings of a routed index: from its document schema, the table keys as keywords; dynamic without a schema. */
  mappingsOf(index: string): IndexMappings;
}

/** Options of `mappingFromZod`. */
export interface MappingOptions {
  /**
   * What OpenSearch does with fields the schema does not declare.
   * @default 'strict' (documents with unknown fields are rejected, so they reach the DLQ), or `false` when the
   * schema itself is loose (`z.looseObject`, `.catchall`)
   */
  readonly dynamic?: DynamicMode;
  /**
   * Fields the documents carry that the schema does not declare (e.g. table key attributes such as `pk`/`sk`
   * when the schema describes only the entity). A name the schema also declares is an error.
   * @default {}
   */
  readonly extraProperties?: Readonly<Record<string, FieldMapping>>;
}

/** Query clause of the read alias filter. */
export type ReadAliasFilter = { bool: { must_not: [{ term: { 'ddbSync.deleted': true } }] } };

/** Options of `indexCreationBody`. */
export interface IndexSettingsOptions {
  /** Primary shards, an integer from 1 to 1024. @default 1 */
  readonly shards?: number;
  /** Replicas per primary, a non-negative integer. @default 1 */
  readonly replicas?: number;
  /** `index.refresh_interval`, a time value such as `'1s'`, `'500ms'`, or `'-1'` to disable. @default '1s' */
  readonly refreshInterval?: string;
}

/** Body of `PUT /<physical index>`: settings, mappings, and the write and read aliases. */
export type IndexCreationBody = {
  settings: { index: { number_of_shards: number; number_of_replicas: number; refresh_interval: string } };
  mappings: object;
  aliases: Record<string, { is_write_index: true } | { filter: ReadAliasFilter }>;
};
