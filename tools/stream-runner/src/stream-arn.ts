import { InvalidStreamArnError } from './errors';

export interface StreamArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly tableName: string;
  readonly streamLabel: string;
}

const STREAM_ARN = /^arn:([\w-]+):dynamodb:([\w-]+):(\d+):table\/([\w.-]+)\/stream\/(.+)$/;

/**
 * Splits a DynamoDB stream ARN into its parts.
 * @example parseStreamArn('arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000').tableName // 't'
 */
export function parseStreamArn(streamArn: string): StreamArnParts {
  const match = STREAM_ARN.exec(streamArn);
  if (!match) throw new InvalidStreamArnError(streamArn);
  const [, partition, region, accountId, tableName, streamLabel] = match as unknown as [string, string, string, string, string, string];
  return { partition, region, accountId, tableName, streamLabel };
}

/** The ARN a Lambda function of this name would have in the stream's account and region. */
export function functionArnFor(streamArn: string, functionName: string): string {
  const { partition, region, accountId } = parseStreamArn(streamArn);
  return `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
}
