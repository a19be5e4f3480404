import { parseStreamArn } from '@ddb-os/stream-decoding';

/**
 * The ARN a Lambda function of this name would have in the stream's account and region.
 * @example functionArnFor('arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000', 'f') // 'arn:aws:lambda:us-east-1:123456789012:function:f'
 */
export function functionArnFor(streamArn: string, functionName: string): string {
  const { partition, region, accountId } = parseStreamArn(streamArn);
  return `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
}
