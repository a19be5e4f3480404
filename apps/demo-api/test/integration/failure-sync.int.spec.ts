import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../../src/config';
import { closeClients, createClients } from '../../src/dependencies';
import { startFailureSync, type FailureSync } from '../../src/local/failure-sync';
import { silentLogger } from '../../src/logger';
import { pollUntil, uniqueName } from '../helpers/local-demo';

jest.setTimeout(60_000);

describe('failure sync: the local SQS event source of the failure handler', () => {
  const config = loadConfig(process.env);
  const clients = createClients(config);
  const queues = { deadLetter: '', onFailure: '' };
  let sync: FailureSync | undefined;

  beforeEach(async () => {
    for (const label of ['deadLetter', 'onFailure'] as const) {
      queues[label] = (await clients.sqs.send(new CreateQueueCommand({ QueueName: uniqueName(`demo-fs-${label.toLowerCase()}`) })))
        .QueueUrl as string;
    }
  });

  afterEach(async () => {
    await sync?.stop();
    await Promise.allSettled(Object.values(queues).map((QueueUrl) => clients.sqs.send(new DeleteQueueCommand({ QueueUrl }))));
  });

  afterAll(async () => {
    await closeClients(clients);
  });

  const messagesIn = async (queueUrl: string) => {
    const { Attributes = {} } = await clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes['ApproximateNumberOfMessages'] ?? 0) + Number(Attributes['ApproximateNumberOfMessagesNotVisible'] ?? 0);
  };

  /** A handler that records what it gets and reports a record as failed when `fails(record, delivery)` says so. */
  function recordingHandler(fails: (record: SQSRecord, delivery: number) => boolean) {
    const seen: SQSRecord[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const batchItemFailures = event.Records.flatMap((record) => {
        seen.push(record);
        const delivery = seen.filter((other) => other.messageId === record.messageId).length;
        return fails(record, delivery) ? [{ itemIdentifier: record.messageId }] : [];
      });
      return { batchItemFailures };
    };
    return { seen, handler };
  }

  it('hands each message of both queues to the handler as Lambda would, and deletes what it archived', async () => {
    // given
    const { seen, handler } = recordingHandler(() => false);
    sync = await startFailureSync({ config, sqs: clients.sqs, queues, logger: silentLogger, workspaceRoot: '/nonexistent', handler });

    // when
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.deadLetter, MessageBody: '{"kind":"poison-record"}' }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.onFailure, MessageBody: '{"requestContext":{}}' }));

    // then
    await pollUntil('both messages handled', async () => seen.length === 2, 10_000);
    expect(seen.map((record) => record.body).sort()).toEqual(['{"kind":"poison-record"}', '{"requestContext":{}}']);
    const fromDlq = seen.find((record) => record.body.includes('poison')) as SQSRecord;
    expect(fromDlq).toMatchObject({
      eventSource: 'aws:sqs',
      awsRegion: config.region,
      attributes: { SentTimestamp: expect.stringMatching(/^\d+$/) },
    });
    expect(fromDlq.eventSourceARN).toMatch(new RegExp(`:${queues.deadLetter.split('/').pop()}$`));
    await pollUntil(
      'queues empty',
      async () => (await messagesIn(queues.deadLetter)) === 0 && (await messagesIn(queues.onFailure)) === 0,
      10_000,
    );
  });

  it('keeps a message the handler reported as failed and delivers it again until it is archived', async () => {
    // given: the handler fails the first delivery
    const { seen, handler } = recordingHandler((_record, delivery) => delivery === 1);
    sync = await startFailureSync({ config, sqs: clients.sqs, queues, logger: silentLogger, workspaceRoot: '/nonexistent', handler });

    // when
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.deadLetter, MessageBody: 'retry me' }));

    // then: delivered again (after the jittered delay), archived then, and only then deleted
    await pollUntil('first delivery', async () => seen.length === 1, 10_000);
    expect(await messagesIn(queues.deadLetter)).toBe(1);
    await pollUntil('second delivery', async () => seen.length === 2, 20_000);
    expect(new Set(seen.map((record) => record.messageId)).size).toBe(1);
    await pollUntil('deleted after it was archived', async () => (await messagesIn(queues.deadLetter)) === 0, 10_000);
  });
});
