import { randomBytes, randomUUID } from 'node:crypto';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { interpretHandlerResult, thrownOutcome } from './batch-result';
import { HandlerTimeoutError } from './errors';
import type { InvocationOutcome, StreamHandler } from './types';

export interface LambdaContextInput {
  readonly functionName: string;
  readonly functionArn: string;
  readonly timeoutMs: number;
  readonly memoryLimitInMB?: number;
  readonly awsRequestId?: string;
  readonly now?: () => number;
}

/**
 * A Lambda-like invocation context: `getRemainingTimeInMillis` counts down from the timeout
 * starting now; names follow Lambda's conventions (`/aws/lambda/<function>` log group).
 * @example createLambdaContext({ functionName: 'f', functionArn: 'arn:aws:lambda:us-east-1:1:function:f', timeoutMs: 3000 }).getRemainingTimeInMillis() // ≤ 3000
 */
export function createLambdaContext(input: LambdaContextInput): Context {
  const now = input.now ?? Date.now;
  const deadline = now() + input.timeoutMs;
  const today = new Date(now()).toISOString().slice(0, 10).replace(/-/g, '/');
  const unsupported = (name: string) => (): never => {
    throw new Error(`context.${name}() is not supported by the stream runner: return a value or throw`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: input.functionArn,
    memoryLimitInMB: String(input.memoryLimitInMB ?? 1024),
    awsRequestId: input.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: `${today}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

/**
 * Invokes the handler once and classifies the result. A throw, a rejected promise or a handler
 * still running at the timeout fails the whole batch (its late result is ignored, as in Lambda).
 */
export async function invokeHandler(
  handler: StreamHandler,
  event: DynamoDBStreamEvent,
  context: Context,
  timeoutMs: number,
): Promise<InvocationOutcome> {
  const sequenceNumbers = event.Records.map((record) => record.dynamodb?.SequenceNumber ?? '');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(timeoutMs)), timeoutMs);
    // An abandoned invocation (runner stopped) must not keep the process alive.
    timer.unref();
  });
  try {
    const result: unknown = await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
    return interpretHandlerResult(result, sequenceNumbers);
  } catch (error) {
    return thrownOutcome(error);
  } finally {
    clearTimeout(timer);
  }
}
