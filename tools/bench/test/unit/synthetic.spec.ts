import { coalesce, planBatch } from '@ddb-os/indexing-core';
import { decodeBatch } from '@ddb-os/stream-decoding';
import { benchRouting } from '../../src/bench-definition';
import { syntheticBatches, workloadSeries } from '../../src/synthetic';
import { workloadFactory } from '../helpers/factories';

describe('syntheticBatches', () => {
  it('builds the requested number of batches and records, with increasing sequence numbers', () => {
    const { events, counts } = syntheticBatches(workloadFactory({ batches: 4, batchSize: 50 }));
    const sequenceNumbers = events.flatMap((event) => event.Records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0')));
    expect(events).toHaveLength(4);
    expect(counts.records).toBe(200);
    expect(counts.inserts + counts.updates + counts.deletes).toBe(200);
    expect(sequenceNumbers.every((value, index) => index === 0 || value > (sequenceNumbers[index - 1] as bigint))).toBe(true);
  });

  it('follows the shares of updates and deletes', () => {
    const { counts } = syntheticBatches(workloadFactory({ batches: 20, batchSize: 100 }));
    expect(counts.updates / counts.records).toBeGreaterThan(0.2);
    expect(counts.updates / counts.records).toBeLessThan(0.35);
    expect(counts.deletes / counts.records).toBeGreaterThan(0.06);
    expect(counts.deletes / counts.records).toBeLessThan(0.14);
  });

  it('is the same for the same seed', () => {
    expect(syntheticBatches(workloadFactory())).toEqual(syntheticBatches(workloadFactory()));
  });

  it.each([1024, 10_240])('makes items of about %i bytes', (itemBytes) => {
    const { events } = syntheticBatches(workloadFactory({ itemBytes, batches: 1 }));
    const inserted = events[0]?.Records.find((record) => record.eventName === 'INSERT');
    const decoded = decodeBatch({ Records: [inserted] }).changes[0];
    const size = JSON.stringify(decoded?.newImage).length;
    expect(size).toBeGreaterThan(itemBytes * 0.95);
    expect(size).toBeLessThanOrEqual(itemBytes);
  });

  it.each([1024, 10_240])(
    'decodes without rejections and fits the review schema at %i bytes, and updates of hot keys coalesce',
    (itemBytes) => {
      // given synthetic batches
      const { events, counts } = syntheticBatches(workloadFactory({ batches: 2, itemBytes, keyPrefix: 'r3-b1000-i10240' }));
      // when the indexer's pure steps run over them
      const decoded = events.map((event) => decodeBatch(event));
      const plans = decoded.map((batch) =>
        planBatch(
          batch.changes.map((change, position) => ({ change, position })),
          { ...benchRouting('bench-reviews', { index: 'reviews' }), ttlDeletePolicy: 'delete', unroutedPolicy: 'skip' },
        ),
      );
      const documents = plans.reduce((total, plan) => total + coalesce(plan.writes).length, 0);
      // then nothing is rejected or poison, and there are fewer documents than records
      expect(decoded.flatMap((batch) => batch.rejected)).toEqual([]);
      expect(plans.flatMap((plan) => plan.poison)).toEqual([]);
      expect(documents).toBeLessThan(counts.records);
    },
  );

  it('deletes only items it inserted before', () => {
    const { events } = syntheticBatches(workloadFactory({ batches: 5 }));
    const live = new Set<string>();
    for (const record of events.flatMap((event) => event.Records)) {
      const key = JSON.stringify(record.dynamodb?.Keys);
      if (record.eventName === 'REMOVE') {
        expect(live.has(key)).toBe(true);
        live.delete(key);
      } else live.add(key);
    }
  });

  it('names the bad option', () => {
    expect(() => syntheticBatches(workloadFactory({ batchSize: 0 }))).toThrow('Option batchSize 0 is invalid');
    expect(() => syntheticBatches(workloadFactory({ updateShare: 0.8, deleteShare: 0.3 }))).toThrow('updateShare + deleteShare');
    expect(() => syntheticBatches(workloadFactory({ keyPrefix: 'a#b' }))).toThrow('Option keyPrefix');
  });
});

describe('workloadSeries', () => {
  it('rounds records up to whole batches and carries the sequence numbers on from one workload to the next', () => {
    // Given a series starting at sequence number 1000
    const workload = workloadSeries({ seed: 7, hotKeys: 5, firstSequenceNumber: 1000n });
    // When two workloads are taken from it
    const first = workload('a', 100, 1024, 250);
    const second = workload('b', 10, 512, 5);
    // Then the first has 3 batches from 1000, the second 1 batch from 1300, each with its own prefix and sizes
    expect(first).toMatchObject({
      seed: 7,
      hotKeys: 5,
      keyPrefix: 'a',
      batches: 3,
      batchSize: 100,
      itemBytes: 1024,
      firstSequenceNumber: 1000n,
      updateShare: 0.3,
      deleteShare: 0.1,
    });
    expect(second).toMatchObject({ keyPrefix: 'b', batches: 1, batchSize: 10, itemBytes: 512, firstSequenceNumber: 1300n });
  });
});
