import type { BinaryValue } from './types';

/**
 * True for a Uint8Array (Buffer included) from any realm: `instanceof` fails across realms,
 * e.g. a Node Buffer inside a Jest sandbox.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

/** Base64 of binary data; Lambda events already carry base64 text, which is kept as is. */
export function binaryToBase64(value: BinaryValue): string {
  if (typeof value === 'string') return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
}
