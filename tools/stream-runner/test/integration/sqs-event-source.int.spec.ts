import { CreateQueueCommand, DeleteQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqsClient, uniqueName, waitFor } from '@ddb-os/testing';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidRunnerOptionsError } from '../../src/errors';
import { queueArnOf, SqsEventSource, type SqsBatchHandler, type SqsEventSourceOptions } from '../../src/sqs-event-source';

jest.setTimeout(60_000);

/** Redelivery after about a second, so that a failed message comes back within a test. */
const QUICK_REDELIVERY = { maxAttempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 1_000, maxDelayMs: 1_000 } as const;

describe('SqsEventSource against the local ElasticMQ', () => {
  const sqs = sqsClient();
  const queues: string[] = [];
  const sources: SqsEventSource[] = [];

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.stop()));
    await Promise.allSettled(queues.splice(0).map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl }))));
  });

  afterAll(() => sqs.destroy());

  const newQueue = async (...bodies: string[]): Promise<{ queueUrl: string; queueArn: string }> => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sqs-event-source') }))).QueueUrl as string;
    queues.push(queueUrl);
    for (let start = 0; start < bodies.length; start += 10) {
      const entries = bodies.slice(start, start + 10).map((MessageBody, position) => ({ Id: `b${start + position}`, MessageBody }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
    return { queueUrl, queueArn: await queueArnOf(sqs, queueUrl) };
  };

  const source = (options: Omit<SqsEventSourceOptions, 'sqs'>): SqsEventSource => {
    const created = new SqsEventSource({ sqs, redelivery: QUICK_REDELIVERY, ...options });
    sources.push(created);
    return created;
  };

  /** Records every delivery; fails a record when `fails(body, delivery)` says so, throws when `throws(delivery)` does. */
  function recordingHandler(options: { fails?: (body: string, delivery: number) => boolean; throwsOnInvocation?: (n: number) => boolean }) {
    const deliveries: SQSRecord[] = [];
    const invocations: { size: number; context: Context }[] = [];
    const handler: SqsBatchHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      invocations.push({ size: event.Records.length, context });
      deliveries.push(...event.Records);
      if (options.throwsOnInvocation?.(invocations.length)) throw new Error('handler exploded');
      const batchItemFailures = event.Records.flatMap((record) => {
        const delivery = deliveries.filter((other) => other.messageId === record.messageId).length;
        return options.fails?.(record.body, delivery) ? [{ itemIdentifier: record.messageId }] : [];
      });
      return { batchItemFailures };
    };
    return { deliveries, invocations, handler };
  }

  it('delivers at most batchSize messages per invocation, in the SQS record shape, and deletes the ones not reported', async () => {
    // given five messages and a batch size of two
    const { queueUrl, queueArn } = await newQueue('a', 'b', 'c', 'd', 'e');
    const { deliveries, invocations, handler } = recordingHandler({});
    const events = source({ queueUrl, queueArn, handler, batchSize: 2, region: 'eu-west-1', label: 'dlq' });

    // when the queue is drained round by round
    await waitFor(async () => (await events.once(1)) === 0 && (await events.remaining()) === 0, { timeoutMs: 20_000 });

    // then
    expect(deliveries.map((record) => record.body).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Math.max(...invocations.map((invocation) => invocation.size))).toBeLessThanOrEqual(2);
    expect(deliveries[0]).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: queueArn, awsRegion: 'eu-west-1' });
    expect(deliveries[0]?.attributes.ApproximateReceiveCount).toBe('1');
    expect(invocations[0]?.context.functionName).toBe('local-dlq');
    expect(invocations[0]?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(events.counters).toEqual({ received: 5, succeeded: 5, failed: 0 });
  });

  it('keeps a message reported in batchItemFailures and delivers it again after the redelivery delay, deleting the others', async () => {
    // given the handler fails "retry me" at its first delivery
    const { queueUrl, queueArn } = await newQueue('fine', 'retry me');
    const { deliveries, handler } = recordingHandler({ fails: (body, delivery) => body === 'retry me' && delivery === 1 });
    const events = source({ queueUrl, queueArn, handler });

    // when one round runs
    expect(await events.once(1)).toBe(2);

    // then only the reported message is left, invisible for now
    expect(await events.remaining()).toBe(1);
    expect(await events.once(0)).toBe(0);
    // and it comes back, with its receive count, and is deleted once handled
    await waitFor(async () => (await events.once(1)) === 1, { timeoutMs: 10_000, intervalMs: 200 });
    const again = deliveries.at(-1) as SQSRecord;
    expect(again.body).toBe('retry me');
    expect(again.attributes.ApproximateReceiveCount).toBe('2');
    expect(await events.remaining()).toBe(0);
    expect(events.counters).toEqual({ received: 3, succeeded: 2, failed: 1 });
  });

  it('delivers every message of a batch again when the handler throws, and never deletes them unhandled', async () => {
    // given a handler that throws at its first invocation
    const { queueUrl, queueArn } = await newQueue('x', 'y');
    const { deliveries, handler } = recordingHandler({ throwsOnInvocation: (n) => n === 1 });
    const logged: string[] = [];
    const events = source({ queueUrl, queueArn, handler, logger: { log: (level, message) => logged.push(`${level} ${message}`) } });

    // when it runs until the queue is empty
    events.start();
    await waitFor(async () => (await events.remaining()) === 0 && deliveries.length >= 4, { timeoutMs: 20_000, intervalMs: 200 });

    // then both messages were delivered twice and the throw was logged at error with its reason
    expect(deliveries.map((record) => record.body).sort()).toEqual(['x', 'x', 'y', 'y']);
    expect(logged.some((line) => line.startsWith('error ') && line.includes('threw'))).toBe(true);
    expect(logged.filter((line) => line.startsWith('warn ') && line.includes('comes back'))).toHaveLength(2);
  });

  it('refuses settings Lambda would refuse, naming each', () => {
    const handler: SqsBatchHandler = async () => ({ batchItemFailures: [] });
    const create = () =>
      new SqsEventSource({ sqs, queueUrl: 'http://127.0.0.1:9324/q', queueArn: 'arn', handler, batchSize: 11, waitSeconds: 21 });
    expect(create).toThrow(InvalidRunnerOptionsError);
    expect(create).toThrow(/batchSize: expected a whole number from 1 to 10, got 11/);
    expect(create).toThrow(/waitSeconds: expected a whole number from 0 to 20, got 21/);
  });
});
