import {
  parseArchiveKey,
  type ArchiveKind,
  type ArchiveMetadata,
  type LostRangeCondition,
  type S3ArchiveStore,
} from '@ddb-os/failure-archive';
import { keyMatches, listingPrefix, metadataMatches, type ArchiveFilter } from './filters';

/** One archive object with what its key and metadata say. */
export interface ArchiveEntry {
  readonly key: string;
  readonly table: string;
  readonly day: string;
  readonly partition: string;
  readonly kind: ArchiveKind;
  readonly reason: string;
  readonly records: number;
  readonly lostCondition: LostRangeCondition | null;
  readonly size: number;
}

/** Counts of `replay list`. */
export interface ArchiveSummary {
  readonly objects: number;
  readonly records: number;
  readonly byTable: Readonly<Record<string, number>>;
  readonly byReason: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, number>>;
  readonly byDay: Readonly<Record<string, number>>;
  /** Lost ranges are listed one by one: each needs `verify --repair`. */
  readonly lostRanges: readonly ArchiveEntry[];
  /** Objects under the prefix that are not archive objects (foreign or malformed keys / metadata). */
  readonly foreign: readonly string[];
}

/**
 * The archive objects under the configured prefix that pass the filter, with their metadata.
 * Objects that do not follow the key scheme or lack metadata are reported in `foreign`.
 *
 * @example
 * for (const entry of (await listArchive(store, 'failures/', { table: 'orders' })).entries) console.log(entry.key);
 */
export async function listArchive(
  store: Pick<S3ArchiveStore, 'list' | 'readMetadata'>,
  archivePrefix: string,
  filter: ArchiveFilter,
): Promise<{ entries: ArchiveEntry[]; foreign: string[] }> {
  const entries: ArchiveEntry[] = [];
  const foreign: string[] = [];
  for await (const object of store.list(listingPrefix(archivePrefix, filter))) {
    const parsed = parseArchiveKey(object.key, archivePrefix);
    if (!parsed) {
      foreign.push(object.key);
      continue;
    }
    if (!keyMatches(parsed, filter)) continue;
    let metadata: ArchiveMetadata;
    try {
      metadata = await store.readMetadata(object.key);
    } catch {
      foreign.push(object.key);
      continue;
    }
    if (!metadataMatches(metadata, filter)) continue;
    entries.push({
      key: object.key,
      table: parsed.table,
      day: parsed.day,
      partition: parsed.partition,
      kind: metadata.kind,
      reason: metadata.reason,
      records: metadata.records,
      lostCondition: metadata.lostCondition,
      size: object.size,
    });
  }
  return { entries, foreign };
}

/**
 * Counts by table, reason, kind and day; lost ranges called out.
 *
 * @example
 * const summary = summarize(entries, foreign);
 */
export function summarize(entries: readonly ArchiveEntry[], foreign: readonly string[] = []): ArchiveSummary {
  return {
    objects: entries.length,
    records: entries.reduce((sum, entry) => sum + entry.records, 0),
    byTable: countBy(entries, (entry) => entry.table),
    byReason: countBy(entries, (entry) => (entry.lostCondition ? `${entry.reason} (lost: ${entry.lostCondition})` : entry.reason)),
    byKind: countBy(entries, (entry) => entry.kind),
    byDay: countBy(entries, (entry) => entry.day),
    lostRanges: entries.filter((entry) => entry.kind === 'lost-range'),
    foreign: [...foreign],
  };
}

function countBy(entries: readonly ArchiveEntry[], keyOf: (entry: ArchiveEntry) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    const key = keyOf(entry);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
