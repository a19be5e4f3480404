import { z } from 'zod';
import { MAX_SEQUENCE_NUMBER_DIGITS } from './constants';

/** A DynamoDB Streams sequence number: a decimal string of 1 to 40 digits (21–40 in practice). */
export const SEQUENCE_NUMBER_PATTERN = new RegExp(`^\\d{1,${MAX_SEQUENCE_NUMBER_DIGITS}}$`);

/**
 * True when `value` is a well-formed sequence number.
 *
 * @example
 * isSequenceNumber('000000000000000000001'); // true
 * isSequenceNumber('12a'); // false
 */
export function isSequenceNumber(value: unknown): value is string {
  return typeof value === 'string' && SEQUENCE_NUMBER_PATTERN.test(value);
}

/**
 * The zod schema of a sequence number, with a message naming what is wrong.
 *
 * @example
 * sequenceNumberSchema.parse('4200000000000000000001'); // '4200000000000000000001'
 */
export const sequenceNumberSchema = z.string().regex(SEQUENCE_NUMBER_PATTERN, {
  error: (issue) => `expected a string of 1 to ${MAX_SEQUENCE_NUMBER_DIGITS} decimal digits, got ${JSON.stringify(issue.input)}`,
});

/**
 * Orders two sequence numbers of one shard (they do not fit a double: compared as BigInt; no document promises
 * they compare across shards).
 *
 * @example
 * compareSequenceNumbers('900', '1000'); // -1
 */
export function compareSequenceNumbers(a: string, b: string): -1 | 0 | 1 {
  const left = BigInt(a);
  const right = BigInt(b);
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/**
 * The `dynamodb.SequenceNumber` of a Lambda-shaped stream record when it is a decimal sequence number
 * (the only kind a partial batch response may report), else undefined.
 *
 * @example
 * sequenceNumberOf({ dynamodb: { SequenceNumber: '4200' } }); // '4200'
 * sequenceNumberOf({ dynamodb: {} }); // undefined
 */
export function sequenceNumberOf(record: unknown): string | undefined {
  const sequenceNumber = (record as { dynamodb?: { SequenceNumber?: unknown } } | null | undefined)?.dynamodb?.SequenceNumber;
  return isSequenceNumber(sequenceNumber) ? sequenceNumber : undefined;
}

/**
 * The numerically lowest of sequence numbers of one shard, or undefined when there are none.
 *
 * @example
 * lowestSequenceNumber(['200', '1000']); // '200'
 */
export function lowestSequenceNumber(sequenceNumbers: Iterable<string>): string | undefined {
  let lowest: string | undefined;
  for (const sequenceNumber of sequenceNumbers) {
    if (lowest === undefined || compareSequenceNumbers(sequenceNumber, lowest) < 0) lowest = sequenceNumber;
  }
  return lowest;
}
