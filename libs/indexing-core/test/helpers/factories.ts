import type { WriteOutcome } from '@ddb-os/index-writer';
import type { DeadLetterSender, PoisonRecordMessage } from '../../src/dead-letter';
import type { OutcomeLookup } from '../../src/index-records';
import type { DocumentWrite } from '../../src/plan-batch';
import type { DecodedChange, JsonObject } from '@ddb-os/stream-decoding';

export const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/demo-items/stream/2026-11-26T00:00:00.000';

let sequence = 1000n;

/** A decoded change of a product item; later calls get higher sequence numbers, like a shard. */
export function productChange(
  productId: string,
  eventName: DecodedChange['eventName'] = 'MODIFY',
  overrides: Partial<DecodedChange> & { attributes?: JsonObject } = {},
): DecodedChange {
  sequence += 1n;
  const keys = { pk: `PRODUCT#${productId}`, sk: 'PRODUCT' };
  const image: JsonObject = { ...keys, entityType: 'product', productId, name: `Product ${productId}`, price: 10, ...overrides.attributes };
  return {
    eventName,
    eventId: `event-${sequence}`,
    eventSourceArn: STREAM_ARN,
    sequenceNumber: overrides.sequenceNumber ?? String(sequence).padStart(21, '0'),
    approximateCreationSeconds: 1_790_000_000,
    keys,
    newImage: eventName === 'REMOVE' ? undefined : image,
    oldImage: eventName === 'INSERT' ? undefined : image,
    isTtlDelete: false,
    raw: { eventID: `event-${sequence}`, eventName },
    ...overrides,
  };
}

export const productRoute = { index: 'products', match: { attribute: 'entityType', equals: 'product' } } as const;
export const reviewRoute = { index: 'reviews', match: { attribute: 'entityType', equals: 'review' } } as const;

/** A dead-letter queue that keeps what it accepts, or refuses everything with `refusal` as the reason. */
export function fakeDeadLetter(
  accepts = true,
  refusal = 'QueueDoesNotExist: The specified queue does not exist.',
): DeadLetterSender & { sent: PoisonRecordMessage[] } {
  const sent: PoisonRecordMessage[] = [];
  return {
    sent,
    send: async (messages) => (accepts ? (sent.push(...messages), []) : messages.map((message) => ({ message, reason: refusal }))),
  };
}

/** What an index port answers: the outcome `outcomeOf` gives each of `writes`, looked up by (index, id) like `WriteOutcomes`. */
export function outcomesFor(
  writes: readonly DocumentWrite[],
  outcomeOf: (write: DocumentWrite) => WriteOutcome | undefined,
): OutcomeLookup {
  const byKey = new Map(writes.map((write) => [`${write.index}\u0000${write.id}`, outcomeOf(write)]));
  return { of: (target) => byKey.get(`${target.index}\u0000${target.id}`) };
}
