import { InvalidSyncMetadataError } from './errors';
import { assertIndexableAttributeNames, KEYS_FIELD, SYNC_FIELD } from './field-names';
import { assertOrderKey, type OrderKey, type OrderedChange } from './order-key';
import type { JsonObject } from './types';

/** Which writer produced a document version. */
export type SyncSource = 'stream' | 'backfill' | 'replay' | 'repair';

const SYNC_SOURCES: readonly SyncSource[] = ['stream', 'backfill', 'replay', 'repair'];

/** Where a write comes from, as the writer knows it (everything but the order key and the write time). */
export interface WriteMeta {
  readonly source: SyncSource;
  /** The stream record's `SequenceNumber` (stream writes only). */
  readonly sequenceNumber?: string;
  /** The stream record's `eventName` (stream writes only). */
  readonly eventName?: string;
  /** When the change happened (ISO 8601), as far as the writer knows. */
  readonly changedAt?: string;
  /** The item expired by TTL and is kept, marked, under `TTL_DELETE_POLICY=mark-expired`. */
  readonly expired?: boolean;
}

/** The `ddbSync` object stored in every document and tombstone. */
export interface SyncMetadata {
  order: OrderKey;
  deleted: boolean;
  source: SyncSource;
  sequenceNumber?: string;
  eventName?: string;
  changedAt?: string;
  expired?: boolean;
  /** When the writer built this version of the document (ISO 8601); tombstone purge uses it. */
  indexedAt: string;
}

/** Input of `syncMetadata`. */
export interface SyncMetadataInput extends WriteMeta {
  readonly order: OrderKey;
  /** @default false */
  readonly deleted?: boolean;
  /** @default now */
  readonly indexedAt?: Date;
}

/**
 * Builds (and validates) the `ddbSync` object of a document version.
 *
 * @example
 * syncMetadata({ order: streamOrderKey(change), source: 'stream', sequenceNumber: change.sequenceNumber });
 */
export function syncMetadata(input: SyncMetadataInput): SyncMetadata {
  assertOrderKey(input.order, 'ddbSync.order');
  if (!SYNC_SOURCES.includes(input.source)) {
    throw new InvalidSyncMetadataError('source', `must be one of ${SYNC_SOURCES.join(', ')}, got ${JSON.stringify(input.source)}`);
  }
  if (input.changedAt !== undefined) assertDateTime(input.changedAt);
  const indexedAt = input.indexedAt ?? new Date();
  if (Number.isNaN(indexedAt.getTime())) {
    throw new InvalidSyncMetadataError('indexedAt', 'is an invalid Date');
  }
  const meta: SyncMetadata = {
    order: input.order,
    deleted: input.deleted ?? false,
    source: input.source,
    indexedAt: indexedAtIso(indexedAt.getTime()),
  };
  if (input.sequenceNumber !== undefined) meta.sequenceNumber = input.sequenceNumber;
  if (input.eventName !== undefined) meta.eventName = input.eventName;
  if (input.changedAt !== undefined) meta.changedAt = input.changedAt;
  if (input.expired === true) meta.expired = true;
  return meta;
}

/** The last `changedAt` found valid: the records of a batch share few seconds, so most are checked once. */
let lastValidDateTime: string | undefined;

function assertDateTime(changedAt: string): void {
  if (changedAt === lastValidDateTime) return;
  if (Number.isNaN(Date.parse(changedAt))) {
    throw new InvalidSyncMetadataError('changedAt', `must be an ISO 8601 date-time, got ${JSON.stringify(changedAt)}`);
  }
  lastValidDateTime = changedAt;
}

/** ISO 8601 of an epoch millisecond, remembering the last one: runs of equal times are formatted once. */
function isoRenderer(): (epochMs: number) => string {
  let last: { readonly epochMs: number; readonly iso: string } | undefined;
  return (epochMs) => {
    if (last?.epochMs !== epochMs) last = { epochMs, iso: new Date(epochMs).toISOString() };
    return last.iso;
  };
}

/** Writers stamp every write of a call with the same `indexedAt`. */
const indexedAtIso = isoRenderer();
/** Consecutive stream records mostly share their second. */
const changedAtIso = isoRenderer();

/**
 * The `WriteMeta` of a stream record.
 *
 * @example
 * const meta = streamWriteMeta(change); // { source: 'stream', sequenceNumber, eventName, changedAt }
 */
export function streamWriteMeta(change: Pick<OrderedChange, 'eventName' | 'sequenceNumber' | 'approximateCreationSeconds'>): WriteMeta {
  return {
    source: 'stream',
    sequenceNumber: change.sequenceNumber,
    eventName: change.eventName,
    changedAt: changedAtIso(change.approximateCreationSeconds * 1000),
  };
}

/**
 * The OpenSearch document of a live item: the item's attributes, `ddbKeys` and `ddbSync` (`deleted: false`).
 * Throws `UnindexableAttributeNameError` (an `InvalidSyncMetadataError`) when an attribute name is reserved for
 * the sync metadata (`ddbSync`, `ddbKeys`, dotted spellings such as `ddbSync.deleted` included) or collides with
 * another attribute's field path (see `attributeNameProblem`).
 *
 * @example
 * buildDocument({ pk: 'PRODUCT#1', sk: 'PRODUCT', name: 'Lamp' }, { pk: 'PRODUCT#1', sk: 'PRODUCT' }, meta);
 */
export function buildDocument(item: JsonObject, keys: JsonObject, meta: SyncMetadata): JsonObject {
  assertIndexableAttributeNames(item);
  return { ...item, [KEYS_FIELD]: { ...keys }, [SYNC_FIELD]: metadataJson(meta, false) };
}

/**
 * The tombstone of a deleted item: its key attributes, `ddbKeys` and `ddbSync` (`deleted: true`).
 * It keeps the delete's order key so that no older write brings the item back.
 *
 * @example
 * buildTombstone({ pk: 'PRODUCT#1', sk: 'PRODUCT' }, meta);
 */
export function buildTombstone(keys: JsonObject, meta: SyncMetadata): JsonObject {
  return { ...keys, [KEYS_FIELD]: { ...keys }, [SYNC_FIELD]: metadataJson(meta, true) };
}

/** The stored form of `meta` with its `deleted` flag set: only the fields `SyncMetadata` defines, in their order. */
function metadataJson(meta: SyncMetadata, deleted: boolean): JsonObject {
  const json: JsonObject = { order: meta.order, deleted, source: meta.source };
  if (meta.sequenceNumber !== undefined) json['sequenceNumber'] = meta.sequenceNumber;
  if (meta.eventName !== undefined) json['eventName'] = meta.eventName;
  if (meta.changedAt !== undefined) json['changedAt'] = meta.changedAt;
  if (meta.expired === true) json['expired'] = true;
  json['indexedAt'] = meta.indexedAt;
  return json;
}
