import { InvalidOrderKeyError, InvalidSyncMetadataError, UnindexableAttributeNameError } from '../../src/errors';
import { buildDocument, buildTombstone, streamWriteMeta, syncMetadata } from '../../src/sync-metadata';
import type { SyncSource } from '../../src/sync-metadata';
import { aChange, streamKeyAt } from '../helpers/write-factories';

const order = streamKeyAt(1_700_000_000, 42n);
const indexedAt = new Date('2024-05-01T10:00:00.000Z');
const keys = { pk: 'PRODUCT#1', sk: 'PRODUCT' };

describe('syncMetadata', () => {
  it('builds the ddbSync object, omitting unknown optional fields', () => {
    // when
    const meta = syncMetadata({ order, source: 'backfill', indexedAt });
    // then
    expect(meta).toEqual({ order, deleted: false, source: 'backfill', indexedAt: '2024-05-01T10:00:00.000Z' });
    expect(Object.keys(meta)).not.toContain('sequenceNumber');
  });

  it('carries the stream record position from streamWriteMeta', () => {
    // given a stream change
    const change = aChange({ sequenceNumber: '42', eventName: 'INSERT', approximateCreationSeconds: 1_700_000_000 });
    // when
    const meta = syncMetadata({ order, ...streamWriteMeta(change), indexedAt });
    // then
    expect(meta).toEqual({
      order,
      deleted: false,
      source: 'stream',
      sequenceNumber: '42',
      eventName: 'INSERT',
      changedAt: '2023-11-14T22:13:20.000Z',
      indexedAt: '2024-05-01T10:00:00.000Z',
    });
  });

  it('rejects a malformed order key', () => {
    expect(() => syncMetadata({ order: '42', source: 'stream' })).toThrow(InvalidOrderKeyError);
  });

  it('rejects an unknown source, naming the field', () => {
    expect(() => syncMetadata({ order, source: 'manual' as SyncSource })).toThrow(/"source".*stream, backfill, replay, repair/);
  });

  it('rejects a changedAt that is not a date', () => {
    expect(() => syncMetadata({ order, source: 'repair', changedAt: 'yesterday' })).toThrow(InvalidSyncMetadataError);
  });

  it("checks and renders each write's own dates, not the ones remembered from the write before", () => {
    // given a valid changedAt and indexedAt just used
    syncMetadata({ order, source: 'repair', changedAt: '2024-05-01T10:00:00.000Z', indexedAt });
    // when the next writes carry other values
    const later = syncMetadata({
      order,
      source: 'repair',
      changedAt: '2024-05-01T10:00:01.000Z',
      indexedAt: new Date('2024-05-01T10:00:02.000Z'),
    });
    const again = syncMetadata({ order, source: 'repair', indexedAt });
    // then each write has its own, and a bad one is still refused
    expect(later).toMatchObject({ changedAt: '2024-05-01T10:00:01.000Z', indexedAt: '2024-05-01T10:00:02.000Z' });
    expect(again.indexedAt).toBe('2024-05-01T10:00:00.000Z');
    expect(() => syncMetadata({ order, source: 'repair', changedAt: 'tomorrow', indexedAt })).toThrow(/"changedAt"/);
    expect(() => syncMetadata({ order, source: 'repair', indexedAt: new Date(Number.NaN) })).toThrow(/"indexedAt"/);
  });

  it('gives each stream record its own changedAt', () => {
    // given records of alternating seconds
    const seconds = [1_700_000_000, 1_700_000_000, 1_700_000_001, 1_700_000_000];
    // when
    const changedAt = seconds.map((second) => streamWriteMeta(aChange({ approximateCreationSeconds: second })).changedAt);
    // then
    expect(changedAt).toEqual(seconds.map((second) => new Date(second * 1000).toISOString()));
  });

  it('rejects an invalid indexedAt', () => {
    expect(() => syncMetadata({ order, source: 'repair', indexedAt: new Date(Number.NaN) })).toThrow(/"indexedAt"/);
  });
});

describe('buildDocument', () => {
  it('adds ddbKeys and ddbSync (deleted: false) to the item', () => {
    // given an item and its metadata
    const item = { ...keys, name: 'Lamp', price: 12.5 };
    const meta = syncMetadata({ order, source: 'stream', indexedAt, deleted: true });
    // when
    const document = buildDocument(item, keys, meta);
    // then
    expect(document).toEqual({ ...item, ddbKeys: keys, ddbSync: { ...meta, deleted: false } });
    // and the stored metadata keeps its field order, indexedAt last
    expect(Object.keys(document['ddbSync'] as object)).toEqual(['order', 'deleted', 'source', 'indexedAt']);
  });

  it.each([['ddbSync'], ['ddbKeys'], ['ddbSync.deleted'], ['ddbSync.indexedAt'], ['ddbKeys.pk'], ['.ddbSync.deleted']])(
    'refuses an item with the reserved attribute %s, as poison naming it',
    (reserved) => {
      // given an item whose attribute would be (or be inside) the sync metadata once OpenSearch expands dotted names
      const item = { ...keys, [reserved]: true };
      // when
      const build = (): unknown => buildDocument(item, keys, syncMetadata({ order, source: 'stream' }));
      // then: an InvalidSyncMetadataError, the error every writer records as poison
      expect(build).toThrow(InvalidSyncMetadataError);
      expect(build).toThrow(UnindexableAttributeNameError);
      expect(build).toThrow(`attribute ${JSON.stringify(reserved)} would be stored`);
    },
  );

  it("refuses an attribute whose dotted name collides with another attribute's field", () => {
    // given "a.b" beside a: { b }
    const item = { ...keys, a: { b: 1 }, 'a.b': 2 };
    // when
    const build = (): unknown => buildDocument(item, keys, syncMetadata({ order, source: 'stream' }));
    // then
    expect(build).toThrow('Unindexable attribute name: attributes a.b and "a.b" would both be the field a.b');
  });
});

describe('buildTombstone', () => {
  it('keeps only the key attributes, ddbKeys and ddbSync (deleted: true) with the delete order key', () => {
    // given the metadata of a delete
    const meta = syncMetadata({ order, source: 'stream', eventName: 'REMOVE', indexedAt });
    // when
    const tombstone = buildTombstone(keys, meta);
    // then
    expect(tombstone).toEqual({
      pk: 'PRODUCT#1',
      sk: 'PRODUCT',
      ddbKeys: keys,
      ddbSync: { order, deleted: true, source: 'stream', eventName: 'REMOVE', indexedAt: '2024-05-01T10:00:00.000Z' },
    });
  });
});
