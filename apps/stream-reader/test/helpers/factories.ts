import type { DeadLetterSender, PoisonRecordMessage } from '@ddb-os/indexing-core';
import { silentLogger, type LoggerPort } from '@ddb-os/lambda-runtime';
import type { PublishDependencies } from '../../src/publish-records';
import type { BufferMessage, BufferPublisher } from '../../src/types';

/** A publisher that records every call and refuses (or throws for) the positions it is told to. */
export function fakePublisher(
  options: { refuse?: readonly number[]; throwOnCall?: number } = {},
): BufferPublisher & { calls: BufferMessage[][] } {
  const calls: BufferMessage[][] = [];
  return {
    description: 'fake buffer',
    calls,
    publishBatch: async (messages) => {
      calls.push([...messages]);
      if (options.throwOnCall === calls.length) throw new Error('ServiceUnavailable');
      return new Set(messages.map((message) => message.position).filter((position) => options.refuse?.includes(position)));
    },
  };
}

export function fakeDeadLetter(accepts = true): DeadLetterSender & { sent: PoisonRecordMessage[] } {
  const sent: PoisonRecordMessage[] = [];
  return {
    sent,
    send: async (messages) =>
      accepts
        ? (sent.push(...messages), [])
        : messages.map((message) => ({ message, reason: 'QueueDoesNotExist: The specified queue does not exist.' })),
  };
}

export function publishDeps(
  publisher: BufferPublisher,
  deadLetter: DeadLetterSender = fakeDeadLetter(),
  maxMessageBytes = 256 * 1024,
  logger: LoggerPort = silentLogger,
): PublishDependencies {
  return { publisher, deadLetter, keyAttributes: ['pk', 'sk'], maxMessageBytes, logger };
}
