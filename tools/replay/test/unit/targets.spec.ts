import { documentId } from '@ddb-os/opensearch-mapping';
import { collectTargets } from '../../src/targets';
import { lambdaRecordFactory } from '../helpers/factories';

const options = { keyAttributes: ['pk', 'sk'], numberPolicy: 'string' as const };

describe('collectTargets', () => {
  it('collects one target per item from the Keys of the records, in first-seen order', () => {
    // given two records of item 1 and one of item 2
    const records = [
      lambdaRecordFactory({ sequenceNumber: '1' }),
      lambdaRecordFactory({ sequenceNumber: '2', keys: { pk: { S: 'PRODUCT#2' }, sk: { S: 'PRODUCT' } } }),
      lambdaRecordFactory({ sequenceNumber: '3', eventName: 'REMOVE' }),
    ];

    // when collected
    const { targets, unreadable } = collectTargets(records, options);

    // then two targets with the indexer's document ids, item 1 with its images and its REMOVE
    expect(unreadable).toEqual([]);
    expect(targets.map((target) => target.id)).toEqual([
      documentId({ pk: 'PRODUCT#1', sk: 'PRODUCT' }, ['pk', 'sk']),
      documentId({ pk: 'PRODUCT#2', sk: 'PRODUCT' }, ['pk', 'sk']),
    ]);
    expect(targets[0]?.tableKey).toEqual({ pk: { S: 'PRODUCT#1' }, sk: { S: 'PRODUCT' } });
    expect(targets[0]?.archivedImages).toHaveLength(3);
    expect(targets[0]?.archivedRemoves.map((change) => change.sequenceNumber)).toEqual(['3']);
  });

  it('turns binary and number keys into what GetItem and documentId expect', () => {
    // given a table keyed by a binary partition key and a number sort key
    const record = lambdaRecordFactory({ keys: { id: { B: 'AQL/' }, n: { N: '12345678901234567890' } } });

    // when collected
    const { targets } = collectTargets([record], { keyAttributes: ['id', 'n'], numberPolicy: 'string' });

    // then GetItem gets bytes, documentId the base64 text and the exact number
    expect(targets[0]?.tableKey).toEqual({ id: { B: Buffer.from([1, 2, 255]) }, n: { N: '12345678901234567890' } });
    expect(targets[0]?.keys).toEqual({ id: 'AQL/', n: '12345678901234567890' });
  });

  it('still targets a truncated poison record (no images) by its keys', () => {
    // given a record whose images were dropped to fit the DLQ
    const record = lambdaRecordFactory({});
    const dynamodb = record['dynamodb'] as Record<string, unknown>;
    delete dynamodb['NewImage'];
    delete dynamodb['OldImage'];

    // when collected
    const { targets, unreadable } = collectTargets([record], options);

    // then the item is a target without images
    expect(unreadable).toEqual([]);
    expect(targets[0]?.archivedImages).toEqual([]);
  });

  it('reports records without usable keys instead of skipping them', () => {
    // given a record without Keys and one with a key attribute missing
    const noKeys = { eventName: 'MODIFY', dynamodb: {} };
    const partial = lambdaRecordFactory({ keys: { pk: { S: 'PRODUCT#1' } } });

    // when collected
    const { targets, unreadable } = collectTargets([noKeys, partial], options);

    // then both are reported with their position and reason
    expect(targets).toEqual([]);
    expect(unreadable).toEqual([
      { position: 0, reason: 'record has no dynamodb.Keys: the item it belongs to cannot be known' },
      { position: 1, reason: expect.stringContaining('sk') },
    ]);
  });
});
