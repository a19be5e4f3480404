import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { SYNTHETIC_STREAM_ARN, WORKLOAD_SHARES } from './constants';
import { InvalidBenchOptionError } from './errors';
import { createPrng } from './prng';
import type { Prng, SyntheticWorkload, WorkloadCounts } from './types';

type Item = Record<string, string | number>;

/** Limits of the review schema (`@ddb-os/schemas`). */
const MAX_BODY = 10_000;
const MAX_TITLE = 200;

const WORDS = [
  'lamp',
  'solid',
  'oak',
  'bright',
  'quiet',
  'fast',
  'delivery',
  'value',
  'sturdy',
  'colour',
  'warm',
  'light',
  'design',
  'great',
  'return',
];

/** The seed, hot keys and first sequence number the workloads of one bench share. */
export interface WorkloadSeries {
  readonly seed: number;
  readonly hotKeys: number;
  readonly firstSequenceNumber: bigint;
}

/**
 * Makes the workloads of one bench in the reported shares ({@link WORKLOAD_SHARES}): `records` rounded up to whole
 * batches, sequence numbers carrying on from one workload to the next as in one shard, so no two share a record.
 *
 * @example
 * const workload = workloadSeries({ seed: 1, hotKeys: 50, firstSequenceNumber: 1_000_000n });
 * syntheticBatches(workload('warm', 100, 1024, 500));
 */
export function workloadSeries(
  series: WorkloadSeries,
): (keyPrefix: string, batchSize: number, itemBytes: number, records: number) => SyntheticWorkload {
  let next = series.firstSequenceNumber;
  return (keyPrefix, batchSize, itemBytes, records) => {
    const batches = Math.max(1, Math.ceil(records / batchSize));
    const firstSequenceNumber = next;
    next += BigInt(batches * batchSize);
    return {
      seed: series.seed,
      batches,
      batchSize,
      itemBytes,
      ...WORKLOAD_SHARES,
      hotKeys: series.hotKeys,
      keyPrefix,
      firstSequenceNumber,
      createdAtSeconds: Math.floor(Date.now() / 1000),
    };
  };
}

/**
 * Builds Lambda DynamoDB Streams events (images as AttributeValue JSON, as Lambda delivers them) of review
 * items: inserts of new keys, updates of a few hot keys, and deletes of earlier items, in the given shares.
 * The same workload always gives the same batches.
 *
 * @example
 * const { events, counts } = syntheticBatches({ seed: 1, batches: 10, batchSize: 100, itemBytes: 1024, updateShare: 0.3,
 *   deleteShare: 0.1, hotKeys: 20, keyPrefix: 'run1', firstSequenceNumber: 1n, createdAtSeconds: 1_790_000_000 });
 */
export function syntheticBatches(workload: SyntheticWorkload): { events: DynamoDBStreamEvent[]; counts: WorkloadCounts } {
  validateWorkload(workload);
  const random = createPrng(workload.seed);
  const live = new Map<string, Item>();
  const cold: string[] = [];
  const counts: WorkloadCounts = { records: 0, inserts: 0, updates: 0, deletes: 0 };
  let sequence = workload.firstSequenceNumber;
  let nextKey = 0;
  const events: DynamoDBStreamEvent[] = [];
  for (let batch = 0; batch < workload.batches; batch += 1) {
    const records: DynamoDBRecord[] = [];
    for (let position = 0; position < workload.batchSize; position += 1) {
      const roll = random.next();
      const record =
        roll < workload.deleteShare && cold.length > 0
          ? deleteOne(random, cold, live, counts)
          : roll < workload.deleteShare + workload.updateShare
            ? updateHot(random, workload, live, counts)
            : insertNew(random, workload, `c${nextKey++}`, cold, live, counts);
      records.push(lambdaRecord(record, sequence, workload.createdAtSeconds));
      sequence += 1n;
      counts.records += 1;
    }
    events.push({ Records: records });
  }
  return { events, counts };
}

interface Change {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly newItem: Item | undefined;
  readonly oldItem: Item | undefined;
}

function insertNew(
  random: Prng,
  workload: SyntheticWorkload,
  suffix: string,
  cold: string[],
  live: Map<string, Item>,
  counts: WorkloadCounts,
): Change {
  const item = reviewItem(random, workload, suffix, 1);
  live.set(suffix, item);
  cold.push(suffix);
  counts.inserts += 1;
  return { eventName: 'INSERT', newItem: item, oldItem: undefined };
}

function updateHot(random: Prng, workload: SyntheticWorkload, live: Map<string, Item>, counts: WorkloadCounts): Change {
  const suffix = `h${random.int(workload.hotKeys)}`;
  const oldItem = live.get(suffix);
  const item = reviewItem(random, workload, suffix, oldItem === undefined ? 1 : (Number(oldItem['rating']) % 5) + 1);
  live.set(suffix, item);
  if (oldItem === undefined) {
    counts.inserts += 1;
    return { eventName: 'INSERT', newItem: item, oldItem: undefined };
  }
  counts.updates += 1;
  return { eventName: 'MODIFY', newItem: item, oldItem };
}

function deleteOne(random: Prng, cold: string[], live: Map<string, Item>, counts: WorkloadCounts): Change {
  const [suffix] = cold.splice(random.int(cold.length), 1) as [string];
  const oldItem = live.get(suffix);
  live.delete(suffix);
  counts.deletes += 1;
  return { eventName: 'REMOVE', newItem: undefined, oldItem };
}

/** A review item of about `itemBytes` bytes as JSON (the body fills the rest). */
export function reviewItem(
  random: Prng,
  workload: Pick<SyntheticWorkload, 'itemBytes' | 'keyPrefix'>,
  suffix: string,
  rating: number,
): Item {
  const productId = `${workload.keyPrefix}-p${suffix}`;
  const reviewId = `r${suffix}`;
  const item: Item = {
    pk: `PRODUCT#${productId}`,
    sk: `REVIEW#${reviewId}`,
    entityType: 'review',
    productId,
    reviewId,
    rating,
    title: `${random.pick(WORDS)} ${random.pick(WORDS)}`,
    author: `author-${random.int(1000)}`,
    createdAt: new Date(1_790_000_000_000 + random.int(1_000_000_000)).toISOString(),
    body: '',
  };
  // The review schema takes up to 10,000 characters of body and 200 of title: a 10 KB item needs both.
  const room = Math.max(0, workload.itemBytes - JSON.stringify(item).length);
  const body = filler(random, Math.min(MAX_BODY, room));
  const extra = filler(random, Math.min(MAX_TITLE - String(item['title']).length - 1, room - body.length - 1));
  const title = extra === '' ? String(item['title']) : `${String(item['title'])} ${extra}`;
  return { ...item, title, body };
}

function filler(random: Prng, bytes: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = random.pick(WORDS);
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ').slice(0, bytes).trim();
}

function lambdaRecord(change: Change, sequence: bigint, createdAtSeconds: number): DynamoDBRecord {
  const image = (change.newItem ?? change.oldItem) as Item;
  const keys = { pk: image['pk'], sk: image['sk'] };
  return {
    eventID: `bench-${sequence}`,
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: SYNTHETIC_STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: createdAtSeconds,
      Keys: attributeValues(keys),
      ...(change.newItem ? { NewImage: attributeValues(change.newItem) } : {}),
      ...(change.oldItem ? { OldImage: attributeValues(change.oldItem) } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: JSON.stringify(image).length,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

function attributeValues(item: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(item) as Record<string, AttributeValue>;
}

function validateWorkload(workload: SyntheticWorkload): void {
  const positive = (option: keyof SyntheticWorkload, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new InvalidBenchOptionError(option, value, 'a whole number ≥ 1');
  };
  positive('batches', workload.batches);
  positive('batchSize', workload.batchSize);
  positive('hotKeys', workload.hotKeys);
  positive('itemBytes', workload.itemBytes);
  for (const option of ['updateShare', 'deleteShare'] as const) {
    if (!(workload[option] >= 0 && workload[option] <= 1))
      throw new InvalidBenchOptionError(option, workload[option], 'a share from 0 to 1');
  }
  if (workload.updateShare + workload.deleteShare > 1) {
    throw new InvalidBenchOptionError('updateShare + deleteShare', workload.updateShare + workload.deleteShare, 'at most 1');
  }
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(workload.keyPrefix))
    throw new InvalidBenchOptionError('keyPrefix', workload.keyPrefix, "1-40 characters of A-Z, a-z, 0-9, '_' or '-'");
}
