import type { ArchiveHeader } from '@ddb-os/failure-archive';
import type { JsonObject } from '@ddb-os/opensearch-mapping';
import { testRouting } from '@ddb-os/testing';
import { z } from 'zod';
import type { ArchiveEntry } from '../../src/listing';
import type { PlanOptions } from '../../src/plan';
import type { ReplayTarget } from '../../src/types';

export const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';

type Image = Record<string, { S: string } | { N: string } | { B: string }>;

/** A Lambda-shaped stream record of item `pk`/`sk`. */
export function lambdaRecordFactory(options: {
  sequenceNumber?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys?: Image;
  newImage?: Image;
  oldImage?: Image;
}): Record<string, unknown> {
  const keys = options.keys ?? { pk: { S: 'PRODUCT#1' }, sk: { S: 'PRODUCT' } };
  const eventName = options.eventName ?? 'MODIFY';
  const dynamodb: Record<string, unknown> = {
    ApproximateCreationDateTime: 1_772_600_000,
    Keys: keys,
    SequenceNumber: options.sequenceNumber ?? '100',
    SizeBytes: 80,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  };
  if (eventName !== 'REMOVE') dynamodb['NewImage'] = options.newImage ?? { ...keys, entityType: { S: 'product' } };
  if (eventName !== 'INSERT') dynamodb['OldImage'] = options.oldImage ?? { ...keys, entityType: { S: 'product' } };
  return {
    eventID: `e-${String(dynamodb['SequenceNumber'])}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: STREAM_ARN,
    dynamodb,
  };
}

/** A tiny product schema: products need a name. */
const testProductSchema = z.object({ pk: z.string(), sk: z.string(), entityType: z.literal('product'), name: z.string() });

/** The test sync's routing: products (with a schema) and reviews. */
export const testPlanRouting = testRouting({
  routes: [
    { index: 'products', schema: testProductSchema, match: { attribute: 'entityType', equals: 'product' } },
    { index: 'reviews', match: { attribute: 'entityType', equals: 'review' } },
  ],
});

export function planOptionsFactory(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return { ...testPlanRouting, snapshotSafetySeconds: 2, versionAttribute: undefined, ...overrides };
}

export function targetFactory(overrides: Partial<ReplayTarget> = {}): ReplayTarget {
  const keys: JsonObject = { pk: 'PRODUCT#1', sk: 'PRODUCT' };
  return {
    id: 'UFJPRFVDVCMx.UFJPRFVDVA',
    keys,
    tableKey: { pk: { S: 'PRODUCT#1' }, sk: { S: 'PRODUCT' } },
    archivedImages: [],
    archivedRemoves: [],
    ...overrides,
  };
}

export function entryFactory(overrides: Partial<ArchiveEntry> = {}): ArchiveEntry {
  return {
    key: 'failures/orders/2026/03/04/shardId-1/1-2.ndjson',
    table: 'orders',
    day: '2026-03-04',
    partition: 'shardId-1',
    kind: 'stream-batch',
    reason: 'RetryAttemptsExhausted',
    records: 2,
    lostCondition: null,
    size: 100,
    ...overrides,
  };
}

export function headerFactory(overrides: Partial<ArchiveHeader> = {}): ArchiveHeader {
  return {
    formatVersion: 1,
    kind: 'stream-batch',
    reason: 'RetryAttemptsExhausted',
    failedAt: '2026-03-04T05:06:07.000Z',
    archivedAt: '2026-03-04T05:07:00.000Z',
    table: 'orders',
    streamArn: STREAM_ARN,
    shardId: 'shardId-1',
    range: { start: '100', end: '200' },
    lost: null,
    counts: { records: 0, expected: 0 },
    source: { messageId: 'm-1', digest: 'a'.repeat(64), sentAt: null, queueArn: null },
    details: {},
    ...overrides,
  };
}
