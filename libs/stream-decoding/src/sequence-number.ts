import { MAX_SEQUENCE_NUMBER_DIGITS } from './constants';

/** A DynamoDB Streams sequence number: a decimal string of 1 to 40 digits. */
export const SEQUENCE_NUMBER_PATTERN = new RegExp(`^\\d{1,${MAX_SEQUENCE_NUMBER_DIGITS}}$`);

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
  return typeof sequenceNumber === 'string' && SEQUENCE_NUMBER_PATTERN.test(sequenceNumber) ? sequenceNumber : undefined;
}

/**
 * The numerically lowest of decimal sequence numbers of one shard (compared as BigInt: they outgrow
 * a double and do not compare as strings), or undefined when there are none.
 *
 * @example
 * lowestSequenceNumber(['200', '1000']); // '200'
 */
export function lowestSequenceNumber(sequenceNumbers: Iterable<string>): string | undefined {
  let lowest: string | undefined;
  for (const sequenceNumber of sequenceNumbers) {
    if (lowest === undefined || BigInt(sequenceNumber) < BigInt(lowest)) lowest = sequenceNumber;
  }
  return lowest;
}
