import { planTarget } from '../../src/plan';
import { planOptionsFactory, targetFactory } from '../helpers/factories';

const READ_AT = Date.parse('2026-03-04T05:06:07.500Z');
// ⌊READ_AT / 1000⌋ − 2 s safety, rank 0 (table read), no sequence number
const SNAPSHOT_ORDER = `S${String(Math.floor(READ_AT / 1000) - 2).padStart(12, '0')}0${'0'.repeat(40)}`;
const product = { pk: 'PRODUCT#1', sk: 'PRODUCT', entityType: 'product', name: 'Lamp' };

describe('planTarget', () => {
  it('indexes the current item under the snapshot order key of the read time, as a replay', () => {
    // given the item still in the table
    const read = { item: product, readAtMs: READ_AT };

    // when planned
    const plan = planTarget(targetFactory(), read, planOptionsFactory());

    // then one index write with the snapshot key, never a stream key
    expect(plan).toEqual({
      kind: 'write',
      writes: [
        {
          index: 'products',
          id: targetFactory().id,
          order: SNAPSHOT_ORDER,
          document: product,
          keys: targetFactory().keys,
          meta: { source: 'replay' },
          action: 'index',
        },
      ],
    });
  });

  it('writes a tombstone, with the snapshot key, in the index the archived image routed to when the item is gone', () => {
    // given an archived product image and no item in the table
    const target = targetFactory({ archivedImages: [product] });

    // when planned
    const plan = planTarget(target, { item: undefined, readAtMs: READ_AT }, planOptionsFactory());

    // then
    expect(plan).toMatchObject({
      kind: 'write',
      writes: [{ index: 'products', action: 'tombstone', document: undefined, order: SNAPSHOT_ORDER }],
    });
  });

  it('tombstones every routed index when a gone item has no image that routes', () => {
    // given a keys-only archive
    // when planned
    const plan = planTarget(targetFactory(), { item: undefined, readAtMs: READ_AT }, planOptionsFactory());

    // then every index of the routes gets a tombstone
    expect(plan.kind === 'write' && plan.writes.map((write) => write.index)).toEqual(['products', 'reviews']);
  });

  it('tombstones the old index when the item now routes elsewhere', () => {
    // given an item archived as a product that is now a review
    const target = targetFactory({ archivedImages: [product] });
    const review = { pk: 'PRODUCT#1', sk: 'PRODUCT', entityType: 'review' };

    // when planned
    const plan = planTarget(target, { item: review, readAtMs: READ_AT }, planOptionsFactory());

    // then a tombstone in products and the item in reviews
    expect(plan.kind === 'write' && plan.writes.map((write) => `${write.action}:${write.index}`)).toEqual([
      'tombstone:products',
      'index:reviews',
    ]);
  });

  it('fails, naming the field, when the item does not fit its index schema', () => {
    // given a product without a name
    const { name: _name, ...nameless } = product;

    // when planned
    const plan = planTarget(targetFactory(), { item: nameless, readAtMs: READ_AT }, planOptionsFactory());

    // then
    expect(plan).toMatchObject({
      kind: 'fail',
      reason: expect.stringMatching(/does not fit the schema of index "products".*name:/),
    });
  });

  it('skips an item no route matches', () => {
    // when planned
    const plan = planTarget(targetFactory(), { item: { pk: 'X', sk: 'Y', entityType: 'other' }, readAtMs: READ_AT }, planOptionsFactory());

    // then
    expect(plan).toEqual({ kind: 'skip', reason: 'no index route matches the item' });
  });

  describe('in version mode', () => {
    const options = planOptionsFactory({ versionAttribute: 'version' });

    it('orders the current item by its version', () => {
      // when planned
      const plan = planTarget(targetFactory(), { item: { ...product, version: 7 }, readAtMs: READ_AT }, options);

      // then the key is the item's version with the put rank
      expect(plan.kind === 'write' && plan.writes[0]?.order).toBe(`V${'7'.padStart(40, '0')}0${'0'.repeat(40)}`);
    });

    it('orders the tombstone of a gone item by its archived REMOVE record', () => {
      // given an archived REMOVE of version 7
      const remove = {
        eventName: 'REMOVE' as const,
        sequenceNumber: '555',
        approximateCreationSeconds: 1_772_600_000,
        newImage: undefined,
        oldImage: { ...product, version: 7 },
        keys: { pk: 'PRODUCT#1', sk: 'PRODUCT' },
        eventId: 'e',
        eventSourceArn: undefined,
        isTtlDelete: false,
        raw: {},
      };
      const target = targetFactory({ archivedImages: [remove.oldImage], archivedRemoves: [remove] });

      // when planned
      const plan = planTarget(target, { item: undefined, readAtMs: READ_AT }, options);

      // then the tombstone carries the REMOVE's own key
      expect(plan.kind === 'write' && plan.writes[0]?.order).toBe(`V${'7'.padStart(40, '0')}1${'555'.padStart(40, '0')}`);
    });

    it('skips a gone item without an archived REMOVE, saying why', () => {
      // when planned
      const plan = planTarget(targetFactory({ archivedImages: [product] }), { item: undefined, readAtMs: READ_AT }, options);

      // then
      expect(plan).toMatchObject({ kind: 'skip', reason: expect.stringContaining('only its REMOVE record can order the tombstone') });
    });
  });
});
