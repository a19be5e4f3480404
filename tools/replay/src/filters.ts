import { normalizePrefix, type ArchiveMetadata, type ParsedArchiveKey } from '@ddb-os/failure-archive';
import { InvalidReplayOptionError } from './errors';

/** Which archive objects a command looks at. */
export interface ArchiveFilter {
  readonly table?: string;
  /** Case-insensitive substring of the reason, the Lambda condition, the lost-range condition or the kind. */
  readonly reason?: string;
  /** Inclusive `yyyy-mm-dd` (UTC day of the failure). */
  readonly since?: string;
  /** Inclusive `yyyy-mm-dd`. */
  readonly until?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Validates a `--since` / `--until` value.
 *
 * @example
 * parseDay('--since', '2026-03-04'); // '2026-03-04'
 */
export function parseDay(option: string, value: string): string {
  if (
    !DAY.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidReplayOptionError(option, value, 'expected a calendar day as yyyy-mm-dd');
  }
  return value;
}

/**
 * The narrowest listing prefix for a filter: the table's folder when one table is asked for.
 *
 * @example
 * listingPrefix('failures/', { table: 'orders' }); // 'failures/orders/'
 */
export function listingPrefix(archivePrefix: string, filter: ArchiveFilter): string {
  return filter.table ? `${normalizePrefix(archivePrefix)}${filter.table}/` : normalizePrefix(archivePrefix);
}

/**
 * Whether a key's table and day pass the filter (no download, no HeadObject).
 *
 * @example
 * keyMatches(parseArchiveKey(key, 'failures/'), { since: '2026-03-01' });
 */
export function keyMatches(parsed: ParsedArchiveKey, filter: ArchiveFilter): boolean {
  if (filter.table !== undefined && parsed.table !== filter.table) return false;
  if (filter.since !== undefined && parsed.day < filter.since) return false;
  if (filter.until !== undefined && parsed.day > filter.until) return false;
  return true;
}

/**
 * Whether an object's metadata passes the reason filter.
 *
 * @example
 * metadataMatches(metadata, { reason: 'mapper_parsing' });
 */
export function metadataMatches(metadata: ArchiveMetadata, filter: ArchiveFilter): boolean {
  if (filter.reason === undefined) return true;
  const needle = filter.reason.toLowerCase();
  return [metadata.reason, metadata.kind, metadata.lostCondition ?? ''].some((text) => text.toLowerCase().includes(needle));
}
