import { InvalidStreamArnError } from './errors';

/** The parts of `arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>`. */
export interface StreamArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly tableName: string;
  readonly streamLabel: string;
}

/** A DynamoDB stream ARN; the groups are partition, region, account, table, label. */
export const STREAM_ARN_PATTERN = /^arn:([\w-]+):dynamodb:([\w-]+):(\d+):table\/([\w.-]+)\/stream\/(.+)$/;

/**
 * Splits a DynamoDB stream ARN into its parts; throws {@link InvalidStreamArnError} for anything else.
 *
 * @example
 * parseStreamArn('arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000').tableName; // 't'
 */
export function parseStreamArn(streamArn: string): StreamArnParts {
  const parts = streamArnParts(streamArn);
  if (parts === undefined) throw new InvalidStreamArnError(streamArn);
  return parts;
}

/**
 * The parts of a stream ARN, or undefined when it is not one (for callers that have a fallback).
 *
 * @example
 * streamArnParts('arn:aws:dynamodb:eu-west-1:1:table/t/stream/x')?.region; // 'eu-west-1'
 */
export function streamArnParts(streamArn: string | undefined): StreamArnParts | undefined {
  const match = streamArn === undefined ? null : STREAM_ARN_PATTERN.exec(streamArn);
  if (!match) return undefined;
  const [, partition, region, accountId, tableName, streamLabel] = match as unknown as [string, string, string, string, string, string];
  return { partition, region, accountId, tableName, streamLabel };
}
