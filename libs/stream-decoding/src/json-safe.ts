import { NumberValueImpl as NumberValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as DynamoDbAttributeValue } from '@aws-sdk/client-dynamodb';
import { childPath, indexPath } from './attribute-path';
import { binaryToBase64, isBytes } from './binary';
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
  const root = options.pathPrefix ?? '';
  const policy = resolveNumberPolicy(options.numberPolicy);
  assertNoForbiddenNames(image, root);
  const native = unmarshallWrapped(image, root);
  return objectToJson(native, root, policy);
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
