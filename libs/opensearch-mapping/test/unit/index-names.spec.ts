import { z } from 'zod';
import { InvalidIndexNameError, InvalidIndexSettingsError, OpenSearchMappingError } from '../../src/errors';
import { indexCreationBody, physicalIndexName, readAlias, readAliasFilter, validateIndexBaseName, writeAlias } from '../../src/index-names';
import { mappingFromZod } from '../../src/mapping-from-zod';

function nameErrorOf(action: () => unknown): InvalidIndexNameError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidIndexNameError) return error;
    throw error;
  }
  throw new Error('expected InvalidIndexNameError');
}

describe('index names', () => {
  it('derives the physical index, read alias and write alias from the base name', () => {
    expect(physicalIndexName('products', 1)).toBe('products-v1');
    expect(physicalIndexName('products', 12)).toBe('products-v12');
    expect(readAlias('products')).toBe('products');
    expect(writeAlias('products')).toBe('products-write');
  });

  it('accepts names with digits, dots, hyphens and underscores inside', () => {
    expect(() => validateIndexBaseName('shop.products_2026-eu')).not.toThrow();
  });

  it.each([
    ['', 'must be a non-empty string'],
    ['Products', 'must be lowercase'],
    ['my products', 'must not contain " "'],
    ['a,b', 'must not contain ","'],
    ['a:b', 'must not contain ":"'],
    ['a#b', 'must not contain "#"'],
    ['a*', 'must not contain "*"'],
    ['a/b', 'must not contain "/"'],
    ['a\\b', 'must not contain "\\\\"'],
    ['a?b', 'must not contain "?"'],
    ['a"b', 'must not contain "\\""'],
    ['a<b', 'must not contain "<"'],
    ['a|b', 'must not contain "|"'],
    ['a+b', 'must not contain "+"'],
    ['_products', 'must not start with "_"'],
    ['-products', 'must not start with "-"'],
    ['.products', 'must not start with "." (reserved for hidden and system indexes)'],
    ['..', 'must not start with "." (reserved for hidden and system indexes)'],
    ['products-write', 'must not end with "-write" (reserved for write aliases)'],
    ['products-v2', 'must not end with "-v<digits>" (reserved for physical index names)'],
    ['x'.repeat(250), 'too long: its write alias would exceed 255 bytes'],
  ])('rejects the base name %j', (name, reason) => {
    // when
    const error = nameErrorOf(() => validateIndexBaseName(name));

    // then
    expect(error).toBeInstanceOf(OpenSearchMappingError);
    expect(error).toMatchObject({ indexName: name, reason, message: `Invalid index name "${name}": ${reason}` });
  });

  it('validates the base name in every derived name', () => {
    expect(() => physicalIndexName('Bad', 1)).toThrow(InvalidIndexNameError);
    expect(() => readAlias('Bad')).toThrow(InvalidIndexNameError);
    expect(() => writeAlias('Bad')).toThrow(InvalidIndexNameError);
  });

  it('counts bytes, not characters, against the 255-byte limit', () => {
    // given a 124-character name of two-byte characters: 248 bytes, 254 with "-write"
    expect(() => validateIndexBaseName('é'.repeat(124))).not.toThrow();
    expect(nameErrorOf(() => validateIndexBaseName('é'.repeat(125))).reason).toBe('too long: its write alias would exceed 255 bytes');
  });

  it('rejects a physical name longer than 255 bytes', () => {
    // given a base that fits with "-write" (6 bytes) but not with "-v1000000" (9 bytes)
    const base = 'x'.repeat(249);

    // then
    expect(physicalIndexName(base, 9999)).toHaveLength(255);
    expect(nameErrorOf(() => physicalIndexName(base, 10000))).toMatchObject({ reason: 'longer than 255 bytes' });
  });

  it.each([[0], [-1], [1.5], [Number.NaN], [2 ** 53]])('rejects the version %p', (version) => {
    expect(nameErrorOf(() => physicalIndexName('products', version)).reason).toBe(
      `version must be a positive integer, got ${String(version)}`,
    );
  });
});

describe('readAliasFilter', () => {
  it('excludes tombstones', () => {
    expect(readAliasFilter()).toEqual({ bool: { must_not: [{ term: { 'ddbSync.deleted': true } }] } });
  });
});

describe('indexCreationBody', () => {
  const mappings = mappingFromZod(z.object({ name: z.string() }));

  it('creates a one-shard index with the mappings, a write alias and a filtered read alias', () => {
    // when
    const body = indexCreationBody('products', 3, mappings);

    // then
    expect(body).toEqual({
      settings: { index: { number_of_shards: 1, number_of_replicas: 1, refresh_interval: '1s' } },
      mappings,
      aliases: {
        'products-write': { is_write_index: true },
        products: { filter: { bool: { must_not: [{ term: { 'ddbSync.deleted': true } }] } } },
      },
    });
  });

  it('takes shards, replicas and refresh interval from the options', () => {
    // when
    const body = indexCreationBody('products', 1, mappings, { shards: 2, replicas: 0, refreshInterval: '500ms' });

    // then
    expect(body.settings).toEqual({ index: { number_of_shards: 2, number_of_replicas: 0, refresh_interval: '500ms' } });
  });

  it('rejects a bad base name or version', () => {
    expect(() => indexCreationBody('products-write', 1, mappings)).toThrow(InvalidIndexNameError);
    expect(() => indexCreationBody('products', 0, mappings)).toThrow(InvalidIndexNameError);
  });

  it.each([
    [{ shards: 0 }, 'shards', 'must be an integer from 1 to 1024, got 0'],
    [{ shards: 1.5 }, 'shards', 'must be an integer from 1 to 1024, got 1.5'],
    [{ shards: 2000 }, 'shards', 'must be an integer from 1 to 1024, got 2000'],
    [{ replicas: -1 }, 'replicas', 'must be an integer ≥ 0, got -1'],
    [{ refreshInterval: '1 second' }, 'refreshInterval', 'must be a time value such as "1s", "500ms" or "-1", got "1 second"'],
  ])('rejects the settings %j', (settings, setting, reason) => {
    expect(() => indexCreationBody('products', 1, mappings, settings)).toThrow(new InvalidIndexSettingsError(setting, reason));
  });
});
