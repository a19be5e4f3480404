import { InvalidIndexNameError, InvalidIndexSettingsError } from './errors';
import type { IndexCreationBody, IndexSettingsOptions, ReadAliasFilter } from './types';

const MAX_INDEX_NAME_BYTES = 255;
const WRITE_ALIAS_SUFFIX = '-write';
const FORBIDDEN_CHARACTERS = /[\\/*?"<>| ,#:+]/;
const VERSION_SUFFIX = /-v\d+$/;
const MAX_SHARDS = 1024;
const TIME_VALUE = /^(?:-1|0|\d+(?:d|h|m|s|ms|micros|nanos))$/;

/**
 * Throws unless `base` can serve as a base index name: a valid OpenSearch index name (lowercase; none of
 * `\ / * ? " < > | , # : +` or spaces; not starting with `_`, `-`, `+` or `.`; at most 255 bytes with the write
 * alias suffix) that does not end like a derived name (`-write`, `-v<digits>`), so that the aliases and physical
 * indexes of two bases never collide.
 *
 * @example
 * validateIndexBaseName('products'); // ok
 * validateIndexBaseName('Products'); // throws InvalidIndexNameError
 * @throws InvalidIndexNameError naming the rule the name breaks.
 */
export function validateIndexBaseName(base: string): void {
  const problem = indexNameProblem(base) ?? derivedSuffixProblem(base);
  if (problem !== undefined) throw new InvalidIndexNameError(String(base), problem);
  if (Buffer.byteLength(writeAliasOf(base)) > MAX_INDEX_NAME_BYTES) {
    throw new InvalidIndexNameError(base, `too long: its write alias would exceed ${MAX_INDEX_NAME_BYTES} bytes`);
  }
}

/**
 * The physical (versioned) index behind a base name: `${base}-v${version}`.
 *
 * @example
 * physicalIndexName('products', 2); // 'products-v2'
 * @throws InvalidIndexNameError when `base` is not a valid base name or `version` not a positive integer.
 */
export function physicalIndexName(base: string, version: number): string {
  validateIndexBaseName(base);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new InvalidIndexNameError(base, `version must be a positive integer, got ${String(version)}`);
  }
  const name = `${base}-v${version}`;
  if (Buffer.byteLength(name) > MAX_INDEX_NAME_BYTES) {
    throw new InvalidIndexNameError(name, `longer than ${MAX_INDEX_NAME_BYTES} bytes`);
  }
  return name;
}

/**
 * The alias readers search: the base name itself, filtered to hide tombstones (see `readAliasFilter`).
 *
 * @example
 * readAlias('products'); // 'products'
 * @throws InvalidIndexNameError when `base` is not a valid base name.
 */
export function readAlias(base: string): string {
  validateIndexBaseName(base);
  return base;
}

/**
 * The alias writers write through: `${base}-write`, pointing at exactly one physical index.
 *
 * @example
 * writeAlias('products'); // 'products-write'
 * @throws InvalidIndexNameError when `base` is not a valid base name.
 */
export function writeAlias(base: string): string {
  validateIndexBaseName(base);
  return writeAliasOf(base);
}

/**
 * Filter of the read alias: every document except tombstones (`ddbSync.deleted: true`).
 *
 * @example
 * readAliasFilter(); // { bool: { must_not: [{ term: { 'ddbSync.deleted': true } }] } }
 */
export function readAliasFilter(): ReadAliasFilter {
  return { bool: { must_not: [{ term: { 'ddbSync.deleted': true } }] } };
}

/**
 * Body of `PUT /${physicalIndexName(base, version)}`: shard/replica counts, `refresh_interval`, the mappings,
 * the write alias (`is_write_index: true`) and the filtered read alias.
 *
 * @example
 * indexCreationBody('products', 1, mappingFromZod(productSchema), { replicas: 0 });
 * @throws InvalidIndexNameError for a bad base name or version; InvalidIndexSettingsError for a bad setting.
 */
export function indexCreationBody(base: string, version: number, mappings: object, settings: IndexSettingsOptions = {}): IndexCreationBody {
  physicalIndexName(base, version);
  return {
    settings: {
      index: {
        number_of_shards: integerSetting('shards', settings.shards ?? 1, 1, MAX_SHARDS),
        number_of_replicas: integerSetting('replicas', settings.replicas ?? 1, 0, Number.MAX_SAFE_INTEGER),
        refresh_interval: refreshIntervalSetting(settings.refreshInterval ?? '1s'),
      },
    },
    mappings,
    aliases: {
      [writeAliasOf(base)]: { is_write_index: true },
      [base]: { filter: readAliasFilter() },
    },
  };
}

function indexNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name === '') return 'must be a non-empty string';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  const forbidden = FORBIDDEN_CHARACTERS.exec(name);
  if (forbidden) return `must not contain ${JSON.stringify(forbidden[0])}`;
  if (/^[_\-+]/.test(name)) return `must not start with "${name[0]}"`;
  if (name.startsWith('.')) return 'must not start with "." (reserved for hidden and system indexes)';
  return undefined;
}

function derivedSuffixProblem(base: string): string | undefined {
  if (base.endsWith(WRITE_ALIAS_SUFFIX)) return `must not end with "${WRITE_ALIAS_SUFFIX}" (reserved for write aliases)`;
  if (VERSION_SUFFIX.test(base)) return 'must not end with "-v<digits>" (reserved for physical index names)';
  return undefined;
}

function writeAliasOf(base: string): string {
  return base + WRITE_ALIAS_SUFFIX;
}

function integerSetting(setting: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new InvalidIndexSettingsError(setting, `must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

function refreshIntervalSetting(value: string): string {
  if (typeof value !== 'string' || !TIME_VALUE.test(value)) {
    throw new InvalidIndexSettingsError(
      'refreshInterval',
      `must be a time value such as "1s", "500ms" or "-1", got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
