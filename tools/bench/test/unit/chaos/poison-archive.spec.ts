import type { Archive, ArchiveHeader, ArchiveKind } from '@ddb-os/failure-archive';
import { lambdaRecord } from '@ddb-os/testing';
import { countArchivedPoison } from '../../../src/chaos/poison-archive';
import { poisonKeys, type ChaosKey } from '../../../src/chaos/workload';

let sequence = 100n;

/** A stream record of `key`, as the failure handler archives it. */
function recordOf(key: ChaosKey, eventName: 'INSERT' | 'MODIFY' | 'REMOVE'): unknown {
  sequence += 1n;
  const item = { pk: key.pk, sk: key.sk, entityType: key.entity };
  return lambdaRecord({
    eventName,
    keys: { pk: key.pk, sk: key.sk },
    ...(eventName === 'REMOVE' ? { oldItem: item } : { newItem: item }),
    sequenceNumber: sequence,
    second: 1_790_000_000,
  });
}

/** An archive object of `kind` holding `records`. */
function archiveOf(kind: ArchiveKind, records: readonly unknown[]): Archive {
  const header: ArchiveHeader = {
    formatVersion: 1,
    kind,
    reason: kind === 'poison-record' ? 'price: expected number' : 'RetryAttemptsExhausted',
    failedAt: '2026-12-04T02:00:00.000Z',
    archivedAt: '2026-12-04T02:00:01.000Z',
    table: 'chaos',
    streamArn: null,
    shardId: kind === 'poison-record' ? null : 'shardId-1',
    range: { start: '1', end: '2' },
    lost: null,
    counts: { records: records.length, expected: records.length },
    source: { messageId: 'm-1', digest: 'a'.repeat(64), sentAt: null, queueArn: null },
    details: {},
  };
  return { header, records };
}

describe('countArchivedPoison', () => {
  const [product0, event1, product2, event3] = poisonKeys(4) as [ChaosKey, ChaosKey, ChaosKey, ChaosKey];
  const other: ChaosKey = { pk: 'PRODUCT#k0', sk: 'PRODUCT', entity: 'product' };

  it('counts a poison key found as a DLQ poison record or inside a given-up batch, and each key once', () => {
    // given two keys dead-lettered, one only in a given-up batch, one in both
    const archives = [
      archiveOf('poison-record', [recordOf(product0, 'INSERT')]),
      archiveOf('poison-record', [recordOf(product2, 'INSERT')]),
      archiveOf('stream-batch', [recordOf(other, 'INSERT'), recordOf(event1, 'INSERT'), recordOf(product2, 'INSERT')]),
      archiveOf('poison-record', [recordOf(event3, 'INSERT')]),
    ];
    // when the archive is counted
    const count = countArchivedPoison(archives, [product0, event1, product2, event3]);
    // then every key is found once in all, and each path counts its own
    expect(count).toEqual({ dlq: 3, givenUpBatch: 2, total: 4, missing: [] });
  });

  it('names a poison key whose poison record is in neither place', () => {
    // given the archive holds three of the four poison records
    const archives = [
      archiveOf('poison-record', [recordOf(product0, 'INSERT')]),
      archiveOf('stream-batch', [recordOf(event1, 'INSERT'), recordOf(product2, 'INSERT')]),
    ];
    // when the archive is counted
    const count = countArchivedPoison(archives, [product0, event1, product2, event3]);
    // then the fourth is missing, by key
    expect(count).toEqual({ dlq: 1, givenUpBatch: 2, total: 3, missing: ['EVENT#poison3|EVENT'] });
  });

  it('does not take the fix of a poison key, or an object of another kind, for its poison record', () => {
    // given the key's later valid put and removal in a given-up batch, and its INSERT only in an unparseable / lost-range object
    const archives = [
      archiveOf('stream-batch', [recordOf(product0, 'MODIFY'), recordOf(product0, 'REMOVE')]),
      archiveOf('unparseable', [recordOf(product0, 'INSERT')]),
      archiveOf('lost-range', [recordOf(product0, 'INSERT')]),
    ];
    // when the archive is counted
    const count = countArchivedPoison(archives, [product0]);
    // then the poison record is not found
    expect(count).toEqual({ dlq: 0, givenUpBatch: 0, total: 0, missing: ['PRODUCT#poison0|PRODUCT'] });
  });

  it('matches by the whole key: another item sharing the partition key is not the poison record', () => {
    // given an INSERT with the poison key's pk but another sk
    const archives = [archiveOf('poison-record', [recordOf({ ...event1, sk: 'EVENT#2' }, 'INSERT')])];
    // when the archive is counted
    const count = countArchivedPoison(archives, [event1]);
    // then the poison key is missing
    expect(count.missing).toEqual(['EVENT#poison1|EVENT']);
  });
});
