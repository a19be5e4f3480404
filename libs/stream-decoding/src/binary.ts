import type { BinaryValue } from './types';

/**
 * True for a Uint8Array (Buffer included) from any realm: `instanceof` fails across realms,
 * e.g. a Node Buffer inside a Jest sandbox.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for binary data in either wire form: bytes, or base64 text. */
export function isBinary(value: unknown): value is BinaryValue {
  return isBytes(value) || (typeof value === 'string' && BASE64_PATTERN.test(value));
}

/** Base64 of binary data; Lambda events already carry base64 text, which is kept as is. */
export function binaryToBase64(value: BinaryValue): string {
  if (typeof value === 'string') return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
}
