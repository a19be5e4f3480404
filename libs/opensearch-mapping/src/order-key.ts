import { InvalidOrderKeyError, OrderKeyInputError } from './errors';
import type { ChangeEventName, JsonObject, JsonValue } from './types';

/**
 * Order keys (see docs/consistency.md): fixed-width strings whose lexicographic order is the
 * order of one item's changes.
 *
 * - time mode:    `S` + second (12 digits) + rank (`0` table read, `1` stream record) + sequence number (40 digits)
 * - version mode: `V` + version (40 digits) + rank (`0` put, `1` delete) + sequence number (40 digits)
 */
export type OrderKey = string;

const SECOND_DIGITS = 12;
const VERSION_DIGITS = 40;
const SEQUENCE_DIGITS = 40;
const NO_SEQUENCE = '0'.repeat(SEQUENCE_DIGITS);
const MAX_SECOND = 10 ** SECOND_DIGITS - 1;
const ORDER_KEY_PATTERN = /^(?:S\d{12}[01]\d{40}|V\d{40}[01]\d{40})$/;

/** Default of `safetySeconds` (`SNAPSHOT_SAFETY_SECONDS`). */
export const DEFAULT_SNAPSHOT_SAFETY_SECONDS = 2;

/** The parts of a decoded stream record an order key depends on (a `DecodedChange` fits). */
export interface OrderedChange {
  readonly eventName: ChangeEventName;
  /** Decimal string, 1 to 40 digits. */
  readonly sequenceNumber: string;
  /** `ApproximateCreationDateTime` in epoch seconds, floored. */
  readonly approximateCreationSeconds: number;
  readonly newImage: JsonObject | undefined;
  readonly oldImage: JsonObject | undefined;
}

/** Options of `streamOrderKey`. */
export interface StreamOrderKeyOptions {
  /** Application version attribute (the sync's `versionAttribute`); default: none (time mode). */
  readonly versionAttribute?: string;
}

/** Options of `snapshotOrderKey`. */
export interface SnapshotOrderKeyOptions {
  /** Seconds subtracted from the read time to cover reader/DynamoDB clock skew (integer ≥ 0). */
  readonly safetySeconds: number;
  /** Application version attribute (the sync's `versionAttribute`); default: none (time mode). */
  readonly versionAttribute?: string;
}

/**
 * The order key of a stream record; depends on the record alone, never on its batch.
 *
 * @example
 * streamOrderKey({ eventName: 'MODIFY', sequenceNumber: '4200', approximateCreationSeconds: 1_700_000_000,
 *   newImage: { pk: 'a' }, oldImage: undefined });
 * // 'S001700000000' + '1' + '4200'.padStart(40, '0')
 */
export function streamOrderKey(change: OrderedChange, options: StreamOrderKeyOptions = {}): OrderKey {
  const sequence = padSequenceNumber(change.sequenceNumber);
  if (options.versionAttribute === undefined) {
    return `S${padSecond(change.approximateCreationSeconds, 'approximateCreationSeconds')}1${sequence}`;
  }
  const isDelete = change.eventName === 'REMOVE';
  const imageName = isDelete ? 'oldImage' : 'newImage';
  const version = versionOf(change[imageName], options.versionAttribute, imageName);
  return `V${version}${isDelete ? '1' : '0'}${sequence}`;
}

/**
 * The order key of an item read from the table (backfill, replay, repair).
 * `readAtMs` must be taken *before* the (strongly consistent) read request was sent.
 * `item` is `undefined` when the read found no item (a tombstone is written).
 *
 * @example
 * snapshotOrderKey(Date.parse('2024-01-01T00:00:00Z'), { pk: 'a' }, { safetySeconds: 2 });
 * // 'S001704067198' + '0' + 40 zeros
 */
export function snapshotOrderKey(readAtMs: number, item: JsonObject | undefined, options: SnapshotOrderKeyOptions): OrderKey {
  if (options.versionAttribute !== undefined) {
    if (item === undefined) {
      throw new OrderKeyInputError(
        'item',
        `an absent item has no "${options.versionAttribute}" version to order by; in version mode only the stream's REMOVE record can write the tombstone`,
      );
    }
    return `V${versionOf(item, options.versionAttribute, 'item')}0${NO_SEQUENCE}`;
  }
  const second = Math.floor(requireReadTime(readAtMs) / 1000) - requireSafetySeconds(options.safetySeconds);
  return `S${padSecond(second, 'readAtMs - safetySeconds')}0${NO_SEQUENCE}`;
}

/** Whether `value` is a well-formed order key. */
export function isOrderKey(value: unknown): value is OrderKey {
  return typeof value === 'string' && ORDER_KEY_PATTERN.test(value);
}

/** Throws `InvalidOrderKeyError` unless `value` is a well-formed order key. */
export function assertOrderKey(value: unknown, what = 'order key'): asserts value is OrderKey {
  if (!isOrderKey(value)) {
    throw new InvalidOrderKeyError(what, value);
  }
}

function padSequenceNumber(sequenceNumber: string): string {
  if (typeof sequenceNumber !== 'string' || !/^\d{1,40}$/.test(sequenceNumber)) {
    throw new OrderKeyInputError('sequenceNumber', `must be 1 to 40 decimal digits, got ${JSON.stringify(sequenceNumber)}`);
  }
  return sequenceNumber.padStart(SEQUENCE_DIGITS, '0');
}

function padSecond(second: number, field: string): string {
  if (!Number.isInteger(second) || second < 0 || second > MAX_SECOND) {
    throw new OrderKeyInputError(field, `must be an integer number of epoch seconds in [0, ${MAX_SECOND}], got ${String(second)}`);
  }
  return String(second).padStart(SECOND_DIGITS, '0');
}

function requireReadTime(readAtMs: number): number {
  if (!Number.isFinite(readAtMs) || readAtMs < 0) {
    throw new OrderKeyInputError('readAtMs', `must be a non-negative epoch time in milliseconds, got ${String(readAtMs)}`);
  }
  return readAtMs;
}

function requireSafetySeconds(safetySeconds: number): number {
  if (!Number.isInteger(safetySeconds) || safetySeconds < 0) {
    throw new OrderKeyInputError('safetySeconds', `must be an integer ≥ 0, got ${String(safetySeconds)}`);
  }
  return safetySeconds;
}

function versionOf(image: JsonObject | undefined, attribute: string, imageName: string): string {
  if (image === undefined) {
    throw new OrderKeyInputError(imageName, `is missing, so "${attribute}" cannot be read (does the stream carry images?)`);
  }
  const digits = versionDigits(image[attribute]);
  if (digits === undefined) {
    throw new OrderKeyInputError(
      `${imageName}.${attribute}`,
      `must be a non-negative integer of at most ${VERSION_DIGITS} digits, got ${JSON.stringify(image[attribute]) ?? 'nothing'}`,
    );
  }
  return digits.padStart(VERSION_DIGITS, '0');
}

/** A non-negative integer as canonical decimal digits (numbers beyond a double arrive as decimal strings). */
function versionDigits(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const canonical = BigInt(value).toString();
    return canonical.length <= VERSION_DIGITS ? canonical : undefined;
  }
  return undefined;
}
