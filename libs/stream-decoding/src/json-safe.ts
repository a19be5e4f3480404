import { NumberValueImpl as NumberValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as DynamoDbAttributeValue } from '@aws-sdk/client-dynamodb';
import { childPath, indexPath } from './attribute-path';
import { binaryToBase64, isBinary, isBytes } from './binary';
import { DEFAULT_NUMBER_POLICY } from './constants';
import { compareDecimals, compareText, exactNumber, isDecimal } from './decimal';
import {
  InvalidNumberError,
  InvalidOptionError,
  StreamDecodingError,
  UnsafeNumberError,
  UnsupportedAttributeNameError,
  UnsupportedAttributeValueError,
} from './errors';
import type { AnyAttributeValue, JsonObject, JsonValue, NumberPolicy, ToJsonSafeOptions } from './types';

/** The attribute name plain objects cannot hold as data (`unmarshall` and zod would drop it silently). */
export const FORBIDDEN_ATTRIBUTE_NAME = '__proto__';

/**
 * Unmarshalls a DynamoDB image (Keys, NewImage, OldImage or a table item) into a JSON-safe object:
 * numbers exact (JS number only when it holds the value exactly, else per `numberPolicy`),
 * sets as sorted arrays, binary as base64, NULL as null. See the package README for each type's form.
 *
 * @throws InvalidOptionError for an unknown `numberPolicy`.
 * @throws UnsafeNumberError under `numberPolicy: 'reject'`; InvalidNumberError, UnsupportedAttributeNameError,
 *   UnsupportedAttributeValueError for input no DynamoDB stream produces. All name the attribute path.
 * @example
 * toJsonSafe({ id: { S: 'a' }, price: { N: '12.50' }, tags: { SS: ['b', 'a'] } });
 * // → { id: 'a', price: 12.5, tags: ['a', 'b'] }
 */
export function toJsonSafe(image: Record<string, AnyAttributeValue>, options: ToJsonSafeOptions = {}): JsonObject {
  const policy = resolveNumberPolicy(options.numberPolicy);
  return imageToJsonDirect(image, policy) ?? toJsonSafeChecked(image, options.pathPrefix ?? '', policy);
}

/**
 * The reference conversion, in three walks: `__proto__` names, `unmarshall`, then the JSON-safe form.
 * It names the path of whatever is wrong; {@link toJsonSafe} only comes here when the one-walk path gives up.
 */
export function toJsonSafeChecked(image: Record<string, AnyAttributeValue>, root: string, policy: NumberPolicy): JsonObject {
  assertNoForbiddenNames(image, root);
  const native = unmarshallWrapped(image, root);
  return objectToJson(native, root, policy);
}

/**
 * One walk from AttributeValues straight to the JSON-safe form, for the images DynamoDB sends: every value a plain
 * object with exactly one known type tag holding content of that type (binaries as bytes or base64, numbers as
 * decimal text), so that whatever it converts `isWellFormedImage` accepts too. It builds no paths (there is no error to
 * name) and gives `undefined` on anything else — an unusual shape, an invalid or (under `'reject'`) unsafe
 * number, a `__proto__` name — so that {@link toJsonSafeChecked} decides, with its exact error. Whenever it
 * returns a value, that value is the one the reference conversion returns (property-tested).
 */
export function imageToJsonDirect(image: unknown, policy: NumberPolicy): JsonObject | undefined {
  if (!isPlainObject(image)) return undefined;
  const json: JsonObject = {};
  for (const name of Object.keys(image)) {
    if (name === FORBIDDEN_ATTRIBUTE_NAME) return undefined;
    const value = attributeToJsonDirect(image[name], policy);
    if (value === undefined) return undefined;
    json[name] = value;
  }
  return json;
}

function attributeToJsonDirect(attribute: unknown, policy: NumberPolicy): JsonValue | undefined {
  if (!isPlainObject(attribute)) return undefined;
  let tag: string | undefined;
  for (const key in attribute) {
    if (tag !== undefined) return undefined;
    tag = key;
  }
  if (tag === undefined || !Object.hasOwn(attribute, tag)) return undefined;
  const content = attribute[tag];
  switch (tag) {
    case 'S':
      return typeof content === 'string' ? content : undefined;
    case 'N':
      return typeof content === 'string' ? numberToJsonDirect(content, policy) : undefined;
    case 'BOOL':
      return typeof content === 'boolean' ? content : undefined;
    case 'NULL':
      return content === true ? null : undefined;
    case 'B':
      return isBinary(content) ? binaryToBase64(content) : undefined;
    case 'M':
      return imageToJsonDirect(content, policy);
    case 'L':
      return listToJsonDirect(content, policy);
    case 'SS':
    case 'NS':
    case 'BS':
      return setToJsonDirect(tag, content, policy);
    default:
      return undefined;
  }
}

function listToJsonDirect(list: unknown, policy: NumberPolicy): JsonValue[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const json: JsonValue[] = new Array<JsonValue>(list.length);
  for (let index = 0; index < list.length; index += 1) {
    // A hole reads as undefined and gives up, as it should: the reference keeps holes.
    const value = attributeToJsonDirect(list[index], policy);
    if (value === undefined) return undefined;
    json[index] = value;
  }
  return json;
}

/** Sets are rare and small: the reference's own set logic (a `Set` dedupes string members, as `unmarshall` does). */
function setToJsonDirect(tag: 'SS' | 'NS' | 'BS', members: unknown, policy: NumberPolicy): JsonValue[] | undefined {
  if (!Array.isArray(members)) return undefined;
  if (!members.every(SET_MEMBER_CHECKS[tag])) return undefined;
  if (tag !== 'NS') return [...new Set(members as (string | Uint8Array)[])].map(binaryToBase64).sort(compareText);
  const sorted = (members as string[]).slice().sort(compareDecimals);
  const json: JsonValue[] = [];
  for (const text of sorted) {
    const value = numberToJsonDirect(text, policy);
    if (value === undefined) return undefined;
    json.push(value);
  }
  return json;
}

const SET_MEMBER_CHECKS: Readonly<Record<'SS' | 'NS' | 'BS', (member: unknown) => boolean>> = {
  SS: (member) => typeof member === 'string',
  NS: (member) => typeof member === 'string' && isDecimal(member),
  BS: isBinary,
};

/** `numberToJson` without the error: most numbers are their own shortest double form ("42", "12.5"), no parse needed. */
function numberToJsonDirect(text: string, policy: NumberPolicy): JsonValue | undefined {
  const candidate = Number(text);
  // String(candidate) === text (no exponent) means text is a double's shortest form, so the double holds it exactly;
  // integers must also be safe, as exactNumber demands ("9007199254740992" is its own shortest form but not safe).
  if (
    String(candidate) === text &&
    Number.isFinite(candidate) &&
    !text.includes('e') &&
    (!Number.isInteger(candidate) || Number.isSafeInteger(candidate))
  ) {
    return candidate;
  }
  if (!isDecimal(text)) return undefined;
  const exact = exactNumber(text);
  if (exact !== undefined) return exact;
  return policy === 'reject' ? undefined : text;
}

/** An object literal, `JSON.parse` result or null-prototype object: no class instance, array or bytes. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

const NUMBER_POLICIES: readonly NumberPolicy[] = ['string', 'reject'];

/** The policy to apply, defaulted; refuses values a JavaScript caller could pass despite the type. */
export function resolveNumberPolicy(policy: NumberPolicy | undefined): NumberPolicy {
  if (policy === undefined) return DEFAULT_NUMBER_POLICY;
  if (!NUMBER_POLICIES.includes(policy)) throw new InvalidOptionError('numberPolicy', policy, NUMBER_POLICIES);
  return policy;
}

function unmarshallWrapped(image: Record<string, AnyAttributeValue>, root: string): Record<string, unknown> {
  try {
    // Lambda-shaped binaries are strings, which unmarshall passes through untouched.
    return unmarshall(image as Record<string, DynamoDbAttributeValue>, { wrapNumbers: true });
  } catch (error) {
    if (error instanceof StreamDecodingError) throw error;
    throw new UnsupportedAttributeValueError(root || '(image)', error instanceof Error ? error.message : String(error));
  }
}

/**
 * Finds a key named `__proto__` anywhere in an image (attribute names of nested maps included)
 * and returns its path: such a key is silently lost by plain-object code, so it must be rejected instead.
 */
export function findForbiddenAttributeName(image: unknown, path: string): string | undefined {
  if (!isPlainRecord(image)) return undefined;
  for (const [name, value] of Object.entries(image)) {
    const found = name === FORBIDDEN_ATTRIBUTE_NAME ? childPath(path, name) : findInAttributeValue(value, childPath(path, name));
    if (found !== undefined) return found;
  }
  return undefined;
}

function findInAttributeValue(value: unknown, path: string): string | undefined {
  if (!isPlainRecord(value)) return undefined;
  if (Object.hasOwn(value, FORBIDDEN_ATTRIBUTE_NAME)) return path;
  if ('M' in value) return findForbiddenAttributeName(value['M'], path);
  if ('L' in value && Array.isArray(value['L'])) {
    for (const [index, item] of value['L'].entries()) {
      const found = findInAttributeValue(item, indexPath(path, index));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isBytes(value);
}

function assertNoForbiddenNames(image: Record<string, AnyAttributeValue>, root: string): void {
  const found = findForbiddenAttributeName(image, root);
  if (found !== undefined) throw new UnsupportedAttributeNameError(found);
}

function objectToJson(native: Record<string, unknown>, path: string, policy: NumberPolicy): JsonObject {
  const json: JsonObject = {};
  for (const [name, value] of Object.entries(native)) {
    json[name] = valueToJson(value, childPath(path, name), policy);
  }
  return json;
}

function valueToJson(value: unknown, path: string, policy: NumberPolicy): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value === undefined) throw new UnsupportedAttributeValueError(path, 'undefined from unmarshall');
  if (value instanceof NumberValue) return numberToJson(value.toString(), path, policy);
  if (isBytes(value)) return binaryToBase64(value);
  if (value instanceof Set) return setToJson(value, path, policy);
  if (Array.isArray(value)) return value.map((item, index) => valueToJson(item, indexPath(path, index), policy));
  if (typeof value === 'object') return objectToJson(value as Record<string, unknown>, path, policy);
  throw new UnsupportedAttributeValueError(path, `unexpected ${typeof value} from unmarshall`);
}

function numberToJson(text: string, path: string, policy: NumberPolicy): JsonValue {
  if (!isDecimal(text)) throw new InvalidNumberError(path, text);
  const exact = exactNumber(text);
  if (exact !== undefined) return exact;
  if (policy === 'reject') throw new UnsafeNumberError(path, text);
  return text;
}

/** Sets have no order in DynamoDB; a fixed order keeps documents (and their diffs) deterministic. */
function setToJson(set: Set<unknown>, path: string, policy: NumberPolicy): JsonValue[] {
  const members = [...set];
  if (members.every((member) => member instanceof NumberValue)) {
    return members
      .map((member) => member.toString())
      .sort(compareDecimalsSafely)
      .map((text, index) => numberToJson(text, indexPath(path, index), policy));
  }
  return members
    .map((member, index) => {
      if (typeof member === 'string') return member;
      if (isBytes(member)) return binaryToBase64(member);
      throw new UnsupportedAttributeValueError(indexPath(path, index), `unexpected set member ${typeof member}`);
    })
    .sort(compareText);
}

/** Invalid members sort by text here; numberToJson then reports them with their path. */
function compareDecimalsSafely(left: string, right: string): number {
  return isDecimal(left) && isDecimal(right) ? compareDecimals(left, right) : compareText(left, right);
}
