/**
 * Exact decimal arithmetic for DynamoDB numbers (up to 38 significant digits), without a
 * big-decimal dependency: only parsing, comparison and the "does a double hold it exactly" test.
 */

/** Syntax of a DynamoDB number as text; the exponent is bounded so arithmetic on it stays exact. */
export const DECIMAL_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,9})?$/;

/** value = (negative ? −1 : 1) × coefficient × 10^exponent, coefficient without leading or trailing zeros ('' for zero). */
interface Decimal {
  readonly negative: boolean;
  readonly coefficient: string;
  readonly exponent: number;
}

const PARTS = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** True when `text` is a decimal number DynamoDB could have sent. */
export function isDecimal(text: string): boolean {
  return DECIMAL_PATTERN.test(text);
}

function parseDecimal(text: string): Decimal {
  const [, sign = '', integerDigits = '', fractionDigits = '', exponentText = '0'] = PARTS.exec(text) ?? [];
  const allDigits = `${integerDigits}${fractionDigits}`.replace(/^0+/, '');
  const coefficient = allDigits.replace(/0+$/, '');
  if (coefficient === '') return { negative: false, coefficient: '', exponent: 0 };
  const trailingZeros = allDigits.length - coefficient.length;
  return {
    negative: sign === '-',
    coefficient,
    exponent: Number(exponentText) - fractionDigits.length + trailingZeros,
  };
}

function sameDecimal(a: Decimal, b: Decimal): boolean {
  return a.negative === b.negative && a.coefficient === b.coefficient && a.exponent === b.exponent;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function isSafeInteger(decimal: Decimal): boolean {
  if (decimal.coefficient === '') return true;
  if (decimal.exponent < 0) return false;
  // More than 16 digits always exceeds 2^53 − 1; checking first avoids building a huge BigInt.
  if (decimal.coefficient.length + decimal.exponent > 16) return false;
  return BigInt(decimal.coefficient) * 10n ** BigInt(decimal.exponent) <= MAX_SAFE;
}

/**
 * The JS number holding `text` exactly, or `undefined` when none does. Integers must be safe
 * integers; other values must survive decimal → double → shortest decimal unchanged
 * (so "0.1" converts, "0.10000000000000000001" does not).
 */
export function exactNumber(text: string): number | undefined {
  const decimal = parseDecimal(text);
  if (decimal.coefficient === '') return 0; // also turns "-0" into 0: JSON has no negative zero
  if (decimal.exponent >= 0) return isSafeInteger(decimal) ? Number(text) : undefined;
  const candidate = Number(text);
  if (!Number.isFinite(candidate)) return undefined;
  return sameDecimal(parseDecimal(String(candidate)), decimal) ? candidate : undefined;
}

/** Position of the most significant digit: orders magnitudes of non-zero decimals. */
function magnitude(decimal: Decimal): number {
  return decimal.coefficient.length + decimal.exponent;
}

function compareMagnitudes(a: Decimal, b: Decimal): number {
  if (magnitude(a) !== magnitude(b)) return magnitude(a) - magnitude(b);
  const width = Math.max(a.coefficient.length, b.coefficient.length);
  const left = a.coefficient.padEnd(width, '0');
  const right = b.coefficient.padEnd(width, '0');
  return left === right ? 0 : left < right ? -1 : 1;
}

function signum(decimal: Decimal): number {
  if (decimal.coefficient === '') return 0;
  return decimal.negative ? -1 : 1;
}

/**
 * Compares two decimal strings by exact value (negative, zero, positive result);
 * equal values written differently ("1" and "1.0") are ordered by their text so sorting is deterministic.
 */
export function compareDecimals(left: string, right: string): number {
  const a = parseDecimal(left);
  const b = parseDecimal(right);
  const bySign = signum(a) - signum(b);
  if (bySign !== 0) return bySign;
  const byMagnitude = signum(a) === 0 ? 0 : signum(a) * compareMagnitudes(a, b);
  if (byMagnitude !== 0) return byMagnitude;
  return compareText(left, right);
}

/** Deterministic, locale-independent string order (UTF-16 code units). */
export function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
