import { UnindexableAttributeNameError } from './errors';
import type { JsonObject, JsonValue } from './types';

/** Document field holding the sync metadata. */
export const SYNC_FIELD = 'ddbSync';
/** Document field holding a copy of the item's table key. */
export const KEYS_FIELD = 'ddbKeys';

/**
 * Top-level document fields the sync writes itself. No item attribute may be one of them or expand into one:
 * OpenSearch reads a dotted field name as an object path, so an attribute named `ddbSync.deleted` would be
 * the tombstone flag the read alias filters on.
 */
export const RESERVED_FIELDS: readonly string[] = [SYNC_FIELD, KEYS_FIELD];

/** An attribute that cannot become a document field, and why. */
export interface AttributeNameProblem {
  /** The attribute as written in the item: `"ddbSync.deleted"` (a reserved one always quoted), `a["b.c"]`, `a.b`. */
  readonly attribute: string;
  /** What is wrong, naming the attribute (and the one it collides with). */
  readonly reason: string;
}

/**
 * Why the attribute names of `item` cannot become document fields, or `undefined` when they can. Names are compared
 * after OpenSearch's own expansion of dotted names into object paths:
 * - a top-level attribute equal to a reserved field (`ddbSync`, `ddbKeys`), or whose first path segment is one
 *   (`ddbSync.deleted`, `ddbKeys.pk`), is refused;
 * - two attributes that expand into the same field (`a.b` beside `a: { b }`), or an attribute whose field would
 *   sit inside another attribute's plain value (`a.b` beside `a: 1`), are refused.
 * Writers treat such an item as poison: never indexed, never stripped silently.
 *
 * @example
 * attributeNameProblem({ pk: 'a', 'ddbSync.deleted': true })?.reason;
 * // 'attribute "ddbSync.deleted" would be stored inside the sync metadata field ddbSync (…): rename the attribute'
 */
export function attributeNameProblem(item: JsonObject): AttributeNameProblem | undefined {
  for (const name of Object.keys(item)) {
    const reserved = reservedFieldOf(name);
    if (reserved !== undefined) {
      const attribute = JSON.stringify(name);
      const reason =
        `attribute ${attribute} would be stored ${pathSegments(name).length === 1 ? 'as' : 'inside'} the sync metadata field ${reserved} ` +
        `(OpenSearch reads dotted names as object paths); ${RESERVED_FIELDS.join(' and ')}, and every name starting with ` +
        `${RESERVED_FIELDS.map((field) => JSON.stringify(`${field}.`)).join(' or ')}, are reserved: rename the attribute`;
      return { attribute, reason };
    }
  }
  return hasDottedName(item) ? fieldCollision(item) : undefined;
}

/**
 * Throws when {@link attributeNameProblem} finds a problem.
 *
 * @throws UnindexableAttributeNameError naming the attribute.
 * @example
 * assertIndexableAttributeNames({ pk: 'a', name: 'Lamp' }); // passes
 */
export function assertIndexableAttributeNames(item: JsonObject): void {
  const problem = attributeNameProblem(item);
  if (problem !== undefined) throw new UnindexableAttributeNameError(problem.attribute, problem.reason);
}

function reservedFieldOf(name: string): string | undefined {
  // Most names hold no dot: one lookup, no split (this runs for every attribute of every document).
  const first = name.includes('.') ? pathSegments(name)[0] : name;
  return first !== undefined && RESERVED_FIELDS.includes(first) ? first : undefined;
}

/** The object path a field name stands for; leading or doubled dots add no segment (".a..b" is a.b). */
function pathSegments(name: string): string[] {
  return name.split('.').filter((segment) => segment !== '');
}

function hasDottedName(value: JsonValue): boolean {
  if (Array.isArray(value)) {
    for (const element of value) if (hasDottedName(element)) return true;
    return false;
  }
  if (value === null || typeof value !== 'object') return false;
  for (const name of Object.keys(value)) {
    if (name.includes('.') || hasDottedName(value[name] as JsonValue)) return true;
  }
  return false;
}

/** One value of the item, at its OpenSearch field path, with the attribute spelling that reached it. */
interface FieldNode {
  readonly spelling: string;
  /** A value OpenSearch cannot put fields inside (anything but an object, or an array of objects). */
  readonly leaf: boolean;
}

function fieldCollision(item: JsonObject): AttributeNameProblem | undefined {
  const fields = new Map<string, FieldNode>();
  const clash = collectFields(item, '', '', fields);
  if (clash !== undefined) return clash;
  for (const [path, node] of fields) {
    const segments = path.split('.');
    for (let length = 1; length < segments.length; length += 1) {
      const outer = fields.get(segments.slice(0, length).join('.'));
      if (outer?.leaf === true) {
        const reason = `attribute ${node.spelling} would be the field ${path}, inside the plain value of attribute ${outer.spelling} (OpenSearch reads dotted names as object paths): rename one of them`;
        return { attribute: node.spelling, reason };
      }
    }
  }
  return undefined;
}

function collectFields(
  object: JsonObject,
  path: string,
  spelling: string,
  fields: Map<string, FieldNode>,
): AttributeNameProblem | undefined {
  for (const [name, value] of Object.entries(object)) {
    const childPath = [path, ...pathSegments(name)].filter((part) => part !== '').join('.');
    const clash = collectValue(value, childPath, spellingOf(spelling, name), fields);
    if (clash !== undefined) return clash;
  }
  return undefined;
}

function collectValue(value: JsonValue, path: string, spelling: string, fields: Map<string, FieldNode>): AttributeNameProblem | undefined {
  const elements = Array.isArray(value) ? flatten(value) : [value];
  const objects = elements.filter(isObject);
  const node: FieldNode = { spelling, leaf: objects.length === 0 };
  const seen = fields.get(path);
  if (seen !== undefined && seen.spelling !== spelling) {
    const reason = `attributes ${seen.spelling} and ${spelling} would both be the field ${path} (OpenSearch reads dotted names as object paths): rename one of them`;
    return { attribute: spelling, reason };
  }
  if (seen === undefined || (seen.leaf && !node.leaf)) fields.set(path, node);
  for (const member of objects) {
    const clash = collectFields(member, path, Array.isArray(value) ? `${spelling}[]` : spelling, fields);
    if (clash !== undefined) return clash;
  }
  return undefined;
}

function flatten(values: readonly JsonValue[]): JsonValue[] {
  return values.flatMap((value) => (Array.isArray(value) ? flatten(value) : [value]));
}

function isObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How the attribute is written in the item: `a.b` for plain names, `a["b.c"]` when a name holds a dot. */
function spellingOf(parent: string, name: string): string {
  if (parent === '') return name.includes('.') ? JSON.stringify(name) : name;
  return name.includes('.') ? `${parent}[${JSON.stringify(name)}]` : `${parent}.${name}`;
}
