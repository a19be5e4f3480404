import { GZIP_EXTENSION, NDJSON_EXTENSION, UNKNOWN_TABLE } from './constants';
import { FailureArchiveError, InvalidArchiveKeyPartError } from './errors';
import type { ArchiveKeyParts, ParsedArchiveKey, SequenceRange } from './types';

const DIGEST_SUFFIX_CHARS = 16;
const RANGE_NAME = /^(\d+)-(\d+)(?:\.[0-9a-f]+)?$/;

/**
 * The deterministic key of an archive object:
 * `<prefix><table>/<yyyy>/<mm>/<dd>/<shardId|poison|unparseable>/<startSeq>-<endSeq>.ndjson[.gz]`.
 * The same message always maps to the same key, which is what makes archiving idempotent.
 *
 * @example
 * archiveKey({ prefix: 'failures/', table: 'orders', failedAt: new Date('2026-03-04T05:06:07Z'),
 *   partition: 'shardId-0001', name: rangeName({ start: '100', end: '200' }), gzip: true });
 * // 'failures/orders/2026/03/04/shardId-0001/100-200.ndjson.gz'
 */
export function archiveKey(parts: ArchiveKeyParts): string {
  const table = parts.table ?? UNKNOWN_TABLE;
  assertKeyPart('table', table);
  assertKeyPart('partition', parts.partition);
  assertKeyPart('name', parts.name);
  const extension = parts.gzip ? NDJSON_EXTENSION + GZIP_EXTENSION : NDJSON_EXTENSION;
  return `${normalizePrefix(parts.prefix)}${table}/${dayPath(parts.failedAt)}/${parts.partition}/${parts.name}${extension}`;
}

/** `<start>-<end>`, the file name of a range. */
export function rangeName(range: SequenceRange): string {
  return `${range.start}-${range.end}`;
}

/**
 * Reads the parts back from a key under `prefix`; undefined for keys that are not archive objects.
 *
 * @example
 * parseArchiveKey('failures/orders/2026/03/04/poison/7-7.ndjson', 'failures/')?.day; // '2026-03-04'
 */
export function parseArchiveKey(key: string, prefix: string): ParsedArchiveKey | undefined {
  const normalizedPrefix = normalizePrefix(prefix);
  if (!key.startsWith(normalizedPrefix)) return undefined;
  const segments = key.slice(normalizedPrefix.length).split('/');
  if (segments.length !== 6) return undefined;
  const [table, yyyy, mm, dd, partition, file] = segments as [string, string, string, string, string, string];
  if (!/^\d{4}$/.test(yyyy) || !/^\d{2}$/.test(mm) || !/^\d{2}$/.test(dd)) return undefined;
  const gzip = file.endsWith(NDJSON_EXTENSION + GZIP_EXTENSION);
  if (!gzip && !file.endsWith(NDJSON_EXTENSION)) return undefined;
  const name = file.slice(0, file.length - NDJSON_EXTENSION.length - (gzip ? GZIP_EXTENSION.length : 0));
  if (name === '') return undefined;
  return { table, day: `${yyyy}-${mm}-${dd}`, partition, name, range: rangeOfName(name), gzip };
}

/**
 * The key to use when `key` already holds a different message's archive: the same key with the
 * message digest before the extension, still deterministic for that message.
 *
 * @example
 * disambiguatedKey('failures/t/2026/01/02/poison/5-5.ndjson', 'ab12cd34ef56ab78ffff'); // '.../poison/5-5.ab12cd34ef56ab78.ndjson'
 */
export function disambiguatedKey(key: string, digest: string): string {
  const at = key.lastIndexOf(NDJSON_EXTENSION);
  if (at < 0) throw new FailureArchiveError(`Not an archive key (no ${NDJSON_EXTENSION}): ${key}`);
  return `${key.slice(0, at)}.${digest.slice(0, DIGEST_SUFFIX_CHARS)}${key.slice(at)}`;
}

/**
 * Where replay moves an object once it is handled: the same path under the replayed prefix.
 *
 * @example
 * replayedKey('failures/t/2026/01/02/poison/5-5.ndjson', 'failures/', 'replayed/'); // 'replayed/t/2026/01/02/poison/5-5.ndjson'
 */
export function replayedKey(key: string, archivePrefix: string, replayedPrefix: string): string {
  const from = normalizePrefix(archivePrefix);
  if (!key.startsWith(from)) throw new FailureArchiveError(`Key ${key} is not under the archive prefix ${from}`);
  return normalizePrefix(replayedPrefix) + key.slice(from.length);
}

/** `failures` → `failures/`; `''` stays `''` (the bucket root). */
export function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** `yyyy/mm/dd` of a date, in UTC. */
export function dayPath(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new FailureArchiveError('Cannot build a day folder from an invalid date');
  return date.toISOString().slice(0, 10).replaceAll('-', '/');
}

function rangeOfName(name: string): SequenceRange | null {
  const match = RANGE_NAME.exec(name);
  return match ? { start: match[1] as string, end: match[2] as string } : null;
}

function assertKeyPart(part: string, value: string): void {
  if (value === '' || value.includes('/') || value === '.' || value === '..') throw new InvalidArchiveKeyPartError(part, value);
}
