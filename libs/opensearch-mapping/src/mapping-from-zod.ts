import { z } from 'zod';
import { UnsupportedSchemaTypeError } from './errors';
import { KEYS_FIELD, SYNC_FIELD } from './field-names';
import type { DynamicMode, FieldMapping, IndexMappings, MappingOptions, ObjectFieldMapping, TextFieldMapping } from './types';

/** Keyword subfields skip values longer than this (OpenSearch's own dynamic-mapping default). */
const RAW_IGNORE_ABOVE = 256;
const ROOT = '(root)';
/** Document fields OpenSearch reserves for itself; a document carrying one is rejected. */
const OPENSEARCH_METADATA_FIELDS = new Set([
  '_id',
  '_index',
  '_source',
  '_routing',
  '_field_names',
  '_ignored',
  '_seq_no',
  '_primary_term',
  '_version',
  '_meta',
  '_doc_count',
  '_size',
  '_type',
  '_tier',
  '_data_stream_timestamp',
]);
/** String formats whose values are identifiers or codes: exact match, never tokenized. */
const KEYWORD_FORMATS = new Set([
  'uuid',
  'guid',
  'cuid',
  'cuid2',
  'ulid',
  'nanoid',
  'xid',
  'ksuid',
  'base64',
  'base64url',
  'hex',
  'jwt',
  'ipv4',
  'ipv6',
  'cidrv4',
  'cidrv6',
  'mac',
  'e164',
  'time',
  'duration',
]);
const DATE_FORMATS = new Set(['date-time', 'date']);
/** `id`, `productId`, `reviewIDs`, `order_id`: identifiers by naming convention. */
const IDENTIFIER_NAME = /^(?:id|ids|ID|IDs)$|[a-z0-9](?:Id|ID|Ids|IDs)$|_ids?$/;

function syncMetadataMapping(): ObjectFieldMapping {
  return {
    properties: {
      order: { type: 'keyword' },
      deleted: { type: 'boolean' },
      source: { type: 'keyword' },
      sequenceNumber: { type: 'keyword' },
      eventName: { type: 'keyword' },
      changedAt: { type: 'date' },
      expired: { type: 'boolean' },
      indexedAt: { type: 'date' },
    },
  };
}

type SchemaNode = Record<string, unknown>;
type FieldPath = readonly string[];

interface WalkContext {
  readonly root: SchemaNode;
  readonly definitions: Record<string, unknown>;
  /** `$ref`s being expanded on the current branch: meeting one again means the schema is recursive. */
  readonly expanding: Set<string>;
}

/**
 * The OpenSearch `mappings` body for documents described by a zod object schema, plus the `ddbSync` metadata
 * object and the unindexed `ddbKeys` object every document of this library carries.
 *
 * Strings map to `text` with a `keyword` subfield `raw` (a field's `.meta({ searchAs: 'keyword' | 'text' })` decides
 * first); enums and literals, identifier formats (`z.uuid()`, …)
 * and fields named like identifiers (`id`, `productId`, `order_id`) to `keyword`; `z.iso.datetime()` and
 * `z.iso.date()` to `date`; integers to `long`, other numbers to `double`; booleans to `boolean`; arrays to
 * their element's mapping; objects to `properties`; records to `flat_object`. Optional, nullable, default,
 * readonly and branded wrappers are unwrapped; unions whose members agree (or are all objects) are merged.
 * The schema is read as the item stored in DynamoDB (its input side).
 *
 * @example
 * const mappings = mappingFromZod(z.object({ productId: z.string(), name: z.string(), price: z.number() }));
 * mappings.properties.productId; // { type: 'keyword' }
 * @throws UnsupportedSchemaTypeError naming the field that has no mapping (z.any, z.date, recursion, …).
 */
export function mappingFromZod(schema: z.ZodObject, options: MappingOptions = {}): IndexMappings {
  const root = jsonSchemaOf(schema);
  if (!typesOf(root).includes('object') || !isRecord(root['properties'])) {
    throw new UnsupportedSchemaTypeError(ROOT, 'the schema must be a z.object');
  }
  const context: WalkContext = { root, definitions: recordOrEmpty(root['$defs']), expanding: new Set(['#']) };
  const fields = mapProperties(root['properties'], [], context);
  return {
    dynamic: options.dynamic ?? (isLoose(root) ? false : 'strict'),
    properties: {
      ...withExtraProperties(fields, options.extraProperties ?? {}),
      [SYNC_FIELD]: syncMetadataMapping(),
      [KEYS_FIELD]: { type: 'object', enabled: false },
    },
  };
}

function jsonSchemaOf(schema: z.ZodObject): SchemaNode {
  try {
    return z.toJSONSchema(schema, {
      io: 'input',
      // The global registry carries `.meta()` hints such as `searchAs`; `$ref`s from `.meta({ id })` are resolved below.
      metadata: z.globalRegistry,
      unrepresentable: ({ path, message }) => {
        throw new UnsupportedSchemaTypeError(fieldPathOf(path), message);
      },
    }) as SchemaNode;
  } catch (error) {
    if (error instanceof UnsupportedSchemaTypeError) throw error;
    throw new UnsupportedSchemaTypeError(ROOT, `zod cannot describe the schema (${(error as Error).message})`);
  }
}

function mapProperties(properties: SchemaNode, path: FieldPath, context: WalkContext): Record<string, FieldMapping> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, child]) => {
      const childPath = [...path, name];
      assertFieldName(name, childPath);
      return [name, mapNode(child, childPath, context)];
    }),
  );
}

function mapNode(node: unknown, path: FieldPath, context: WalkContext): FieldMapping {
  if (!isRecord(node)) throw unsupported(path, node === false ? 'accepts no value' : 'accepts any value (z.any, z.unknown)');
  if (isRecord(node['not']) && Object.keys(node['not']).length === 0) throw unsupported(path, 'accepts no value');
  if (typeof node['$ref'] === 'string') return mapReference(node['$ref'], path, context);
  const alternatives = node['anyOf'] ?? node['oneOf'] ?? node['allOf'];
  if (Array.isArray(alternatives)) return mapAlternatives(alternatives, path, context);
  const types = typesOf(node);
  if (types.length === 0) throw unsupported(path, 'accepts any value (z.any, z.unknown)');
  const nonNullTypes = types.filter((type) => type !== 'null');
  if (nonNullTypes.length === 0) throw unsupported(path, 'only accepts null');
  return mergeAll(
    nonNullTypes.map((type) => mapTyped(node, type, path, context)),
    path,
  );
}

function mapReference(reference: string, path: FieldPath, context: WalkContext): FieldMapping {
  if (context.expanding.has(reference)) throw unsupported(path, 'is recursive; an index mapping must be finite');
  const target = reference === '#' ? context.root : definitionOf(reference, context);
  if (target === undefined) throw unsupported(path, `refers to ${reference}, which the schema does not define`);
  context.expanding.add(reference);
  try {
    return mapNode(target, path, context);
  } finally {
    context.expanding.delete(reference);
  }
}

function definitionOf(reference: string, context: WalkContext): unknown {
  const prefix = '#/$defs/';
  if (!reference.startsWith(prefix)) return undefined;
  const name = decodeURIComponent(reference.slice(prefix.length)).replaceAll('~1', '/').replaceAll('~0', '~');
  return Object.hasOwn(context.definitions, name) ? context.definitions[name] : undefined;
}

function mapAlternatives(alternatives: unknown[], path: FieldPath, context: WalkContext): FieldMapping {
  const usable = alternatives.filter((alternative) => !acceptsOnlyNull(alternative));
  if (usable.length === 0) throw unsupported(path, 'only accepts null');
  return mergeAll(
    usable.map((alternative) => mapNode(alternative, path, context)),
    path,
  );
}

function mapTyped(node: SchemaNode, type: string, path: FieldPath, context: WalkContext): FieldMapping {
  switch (type) {
    case 'string':
      return stringMapping(node, path);
    case 'integer':
      return { type: 'long' };
    case 'number':
      return isIntegerEnum(node) ? { type: 'long' } : { type: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return elementMapping(node, path, context);
    case 'object':
      return objectMapping(node, path, context);
    default:
      throw unsupported(path, `has JSON Schema type "${type}", which has no OpenSearch mapping`);
  }
}

function stringMapping(node: SchemaNode, path: FieldPath): FieldMapping {
  const format = typeof node['format'] === 'string' ? node['format'] : undefined;
  if (node['searchAs'] === 'keyword') return { type: 'keyword' };
  if (node['searchAs'] === 'text') return textMapping();
  if (enumeratedValues(node).length > 0) return { type: 'keyword' };
  if (format !== undefined && DATE_FORMATS.has(format)) return { type: 'date' };
  if (format !== undefined && KEYWORD_FORMATS.has(format)) return { type: 'keyword' };
  if (IDENTIFIER_NAME.test(fieldNameOf(path))) return { type: 'keyword' };
  return textMapping();
}

function textMapping(): TextFieldMapping {
  return { type: 'text', fields: { raw: { type: 'keyword', ignore_above: RAW_IGNORE_ABOVE } } };
}

function elementMapping(node: SchemaNode, path: FieldPath, context: WalkContext): FieldMapping {
  const elementPath = [...path, '[]'];
  const tuple = Array.isArray(node['prefixItems']) ? node['prefixItems'] : [];
  const rest = node['items'] === undefined || node['items'] === false ? [] : [node['items']];
  const elements = [...tuple, ...rest];
  if (elements.length === 0) throw unsupported(path, 'is an array without an element type');
  return mergeAll(
    elements.map((element) => mapNode(element, elementPath, context)),
    elementPath,
  );
}

function objectMapping(node: SchemaNode, path: FieldPath, context: WalkContext): FieldMapping {
  const properties = node['properties'];
  if (!isRecord(properties)) {
    // A record (`z.record`) or an object of unknown keys: one field, searchable by dotted path, no mapping growth.
    return node['additionalProperties'] === false ? { properties: {} } : { type: 'flat_object' };
  }
  const mapped = mapProperties(properties, path, context);
  // A loose object (`z.looseObject`, `.catchall`) declares that unknown keys are fine: store them, don't reject.
  return isLoose(node) ? { dynamic: false, properties: mapped } : { properties: mapped };
}

function mergeAll(mappings: readonly FieldMapping[], path: FieldPath): FieldMapping {
  const [first, ...others] = mappings;
  if (first === undefined) throw unsupported(path, 'has no type');
  return others.reduce((merged, next) => mergePair(merged, next, path), first);
}

/** One mapping that accepts the values of both alternatives, or an error when none does. */
function mergePair(left: FieldMapping, right: FieldMapping, path: FieldPath): FieldMapping {
  if (sameMapping(left, right)) return left;
  if (isObjectField(left) && isObjectField(right)) return mergeObjects(left, right, path);
  const kinds = new Set([kindOf(left), kindOf(right)]);
  if ([...kinds].every((kind) => kind === 'text' || kind === 'keyword' || kind === 'date')) return textMapping();
  if (kinds.has('long') && kinds.has('double') && kinds.size === 2) return { type: 'double' };
  if (kinds.has('object') && kinds.has('flat_object') && kinds.size === 2) return { type: 'flat_object' };
  throw unsupported(path, `its alternatives need different OpenSearch types (${kindOf(left)} and ${kindOf(right)})`);
}

function mergeObjects(left: ObjectFieldMapping, right: ObjectFieldMapping, path: FieldPath): ObjectFieldMapping {
  const names = [...new Set([...Object.keys(left.properties), ...Object.keys(right.properties)])];
  const properties = Object.fromEntries(
    names.map((name): [string, FieldMapping] => {
      const [fromLeft, fromRight] = [left.properties[name], right.properties[name]];
      if (fromLeft === undefined || fromRight === undefined) return [name, (fromLeft ?? fromRight) as FieldMapping];
      return [name, mergePair(fromLeft, fromRight, [...path, name])];
    }),
  );
  const dynamic: DynamicMode | undefined = left.dynamic === false || right.dynamic === false ? false : left.dynamic;
  return dynamic === undefined ? { properties } : { dynamic, properties };
}

function withExtraProperties(
  fields: Record<string, FieldMapping>,
  extra: Readonly<Record<string, FieldMapping>>,
): Record<string, FieldMapping> {
  for (const name of Object.keys(extra)) {
    assertFieldName(name, [name]);
    if (Object.hasOwn(fields, name)) throw unsupported([name], 'is declared both by the schema and in extraProperties');
  }
  return { ...fields, ...extra };
}

function assertFieldName(name: string, path: FieldPath): void {
  if (name === '') throw unsupported(path, 'field names must not be empty');
  if (name.includes('.')) throw unsupported(path, 'field names must not contain "." (OpenSearch reads it as an object path)');
  if (path.length > 1) return;
  if (name === SYNC_FIELD || name === KEYS_FIELD) throw unsupported(path, 'the name is reserved for sync metadata');
  if (OPENSEARCH_METADATA_FIELDS.has(name)) throw unsupported(path, 'the name is an OpenSearch metadata field');
}

function typesOf(node: SchemaNode): string[] {
  const declared = node['type'];
  if (typeof declared === 'string') return [declared];
  if (Array.isArray(declared)) return declared.filter((type): type is string => typeof type === 'string');
  return [...new Set(enumeratedValues(node).map(jsonTypeOf))];
}

/** Values of `const`/`enum`: a literal or an enum. */
function enumeratedValues(node: SchemaNode): unknown[] {
  if (Object.hasOwn(node, 'const')) return [node['const']];
  return Array.isArray(node['enum']) ? node['enum'] : [];
}

/** `z.literal(3)` or a numeric enum of whole numbers. */
function isIntegerEnum(node: SchemaNode): boolean {
  const values = enumeratedValues(node);
  return values.length > 0 && values.every(Number.isInteger);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function acceptsOnlyNull(node: unknown): boolean {
  if (!isRecord(node) || node['$ref'] !== undefined || node['anyOf'] !== undefined || node['oneOf'] !== undefined) return false;
  const types = typesOf(node);
  return types.length > 0 && types.every((type) => type === 'null');
}

function isLoose(node: SchemaNode): boolean {
  return Object.hasOwn(node, 'additionalProperties') && node['additionalProperties'] !== false;
}

function isObjectField(mapping: FieldMapping): mapping is ObjectFieldMapping {
  return !('type' in mapping);
}

function kindOf(mapping: FieldMapping): string {
  return 'type' in mapping ? mapping.type : 'object';
}

function sameMapping(left: FieldMapping, right: FieldMapping): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function fieldNameOf(path: FieldPath): string {
  return [...path].reverse().find((segment) => segment !== '[]') ?? '';
}

/** `['properties', 'a', 'items', 'properties', 'b']` (zod's JSON Schema path) → `a[].b`; record values are `*`. */
function fieldPathOf(schemaPath: readonly (string | number)[]): string {
  const fields: string[] = [];
  for (let position = 0; position < schemaPath.length; position += 1) {
    const segment = schemaPath[position];
    if (segment === 'properties') {
      fields.push(String(schemaPath[position + 1]));
      position += 1;
    } else if (segment === 'items' || segment === 'prefixItems') {
      fields.push('[]');
    } else if (segment === 'additionalProperties') {
      fields.push('*');
    }
  }
  return formatPath(fields);
}

function formatPath(path: FieldPath): string {
  return path.length === 0 ? ROOT : path.join('.').replaceAll('.[]', '[]');
}

function unsupported(path: FieldPath, reason: string): UnsupportedSchemaTypeError {
  return new UnsupportedSchemaTypeError(formatPath(path), reason);
}

function recordOrEmpty(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
