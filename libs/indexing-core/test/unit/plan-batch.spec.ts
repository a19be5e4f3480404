import { testRouting } from '@ddb-os/testing';
import type { RouteDefinition } from '@ddb-os/sync-definition';
import { z } from 'zod';
import { coalesce, planBatch as planPositioned, type PlanOptions } from '../../src/plan-batch';
import type { DecodedChange } from '@ddb-os/stream-decoding';
import { productChange, productRoute, reviewRoute } from '../helpers/factories';

/** Plans changes as if they were the records of a batch, in order. */
const planBatch = (changes: DecodedChange[], planOptions: PlanOptions) =>
  planPositioned(
    changes.map((change, position) => ({ change, position })),
    planOptions,
  );

/** The plan options of a sync with these routes (its routes, key attributes and document shapes). */
function optionsFor(routes: readonly RouteDefinition[]): PlanOptions {
  const { routes: runtimeRoutes, keyAttributes, shapes } = testRouting({ routes });
  return { routes: runtimeRoutes, keyAttributes, shapes, ttlDeletePolicy: 'delete', unroutedPolicy: 'skip' };
}

const options: PlanOptions = optionsFor([productRoute, reviewRoute]);

describe('planBatch', () => {
  it('routes inserts and modifies to their index with the new image', () => {
    // given
    const change = productChange('p1', 'INSERT');
    // when
    const plan = planBatch([change], options);
    // then
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({ index: 'products', document: change.newImage, expired: false });
    expect(plan.poison).toEqual([]);
  });

  it('turns a REMOVE into a tombstone in the index the old image routed to', () => {
    const plan = planBatch([productChange('p1', 'REMOVE')], options);
    expect(plan.writes).toEqual([expect.objectContaining({ index: 'products', document: undefined })]);
  });

  it('tombstones the old index when a MODIFY moves the item to another index', () => {
    // given: the item was a product and becomes a review
    const change = productChange('p1', 'MODIFY');
    const moved = { ...change, newImage: { ...change.newImage, entityType: 'review' } };
    // when
    const plan = planBatch([moved], options);
    // then
    expect(plan.writes.map((write) => [write.index, write.document === undefined])).toEqual([
      ['products', true],
      ['reviews', false],
    ]);
  });

  it('keeps a TTL-expired item marked as expired when the policy says so', () => {
    const ttl = productChange('p1', 'REMOVE', { isTtlDelete: true });
    const plan = planBatch([ttl], { ...options, ttlDeletePolicy: 'mark-expired' });
    expect(plan.writes).toEqual([expect.objectContaining({ index: 'products', document: ttl.oldImage, expired: true })]);
  });

  it('deletes a TTL-expired item under the default policy', () => {
    const plan = planBatch([productChange('p1', 'REMOVE', { isTtlDelete: true })], options);
    expect(plan.writes).toEqual([expect.objectContaining({ document: undefined, expired: false })]);
  });

  it('counts unrouted items, or dead-letters them when configured', () => {
    const stray = productChange('p1', 'INSERT', { attributes: { entityType: 'invoice' } });
    expect(planBatch([stray], options)).toMatchObject({ writes: [], poison: [], unrouted: 1 });
    const strict = planBatch([stray], { ...options, unroutedPolicy: 'dead-letter' });
    expect(strict.poison).toEqual([expect.objectContaining({ reason: expect.stringContaining('no index route') })]);
  });

  it('sends an item that does not fit its index schema to the dead-letter path, naming the field', () => {
    // given
    const schema = z.object({ productId: z.string(), price: z.number().nonnegative() });
    const bad = productChange('p1', 'INSERT', { attributes: { price: -5 } });
    const good = productChange('p2', 'INSERT');
    // when
    const plan = planBatch([bad, good], optionsFor([{ ...productRoute, schema }]));
    // then
    expect(plan.poison).toEqual([
      expect.objectContaining({ change: bad, position: 0, reason: expect.stringMatching(/schema of index "products".*price/) }),
    ]);
    expect(plan.writes.map((write) => write.change)).toEqual([good]);
  });

  it('dead-letters an item whose key attributes are missing instead of throwing', () => {
    const keyless = productChange('p1', 'INSERT', { keys: { pk: 'PRODUCT#p1' } });
    const plan = planBatch([keyless], options);
    expect(plan.poison).toEqual([expect.objectContaining({ change: keyless, reason: expect.stringContaining('sk') })]);
  });
});

describe('coalesce', () => {
  it('sends only the last change per document and remembers the positions of all its records', () => {
    // given: p1 changes three times, p2 once, interleaved
    const p1a = productChange('p1', 'INSERT');
    const p2 = productChange('p2', 'INSERT');
    const p1b = productChange('p1', 'MODIFY');
    const p1c = productChange('p1', 'REMOVE');
    // when
    const writes = coalesce(planBatch([p1a, p2, p1b, p1c], options).writes);
    // then
    expect(writes).toHaveLength(2);
    const p1 = writes.find((write) => write.change.keys['pk'] === 'PRODUCT#p1');
    expect(p1?.positions).toEqual([0, 2, 3]);
    expect(p1?.change).toBe(p1c);
    expect(p1?.document).toBeUndefined();
  });

  it("says whether a document's changes in the batch began with an INSERT (it most likely has no document yet)", () => {
    // given: p1 created then updated, p2 updated then deleted, p3 deleted then re-created, p4 created then deleted
    const changes = [
      productChange('p1', 'INSERT'),
      productChange('p2', 'MODIFY'),
      productChange('p3', 'REMOVE'),
      productChange('p4', 'INSERT'),
      productChange('p1', 'MODIFY'),
      productChange('p2', 'REMOVE'),
      productChange('p3', 'INSERT'),
      productChange('p4', 'REMOVE'),
    ];
    // when
    const writes = coalesce(planBatch(changes, options).writes);
    // then the flag follows each document's first change, not its last
    expect(writes.map((write) => [write.change.keys['pk'], write.change.eventName, write.beginsWithInsert])).toEqual([
      ['PRODUCT#p1', 'MODIFY', true],
      ['PRODUCT#p2', 'REMOVE', false],
      ['PRODUCT#p3', 'INSERT', false],
      ['PRODUCT#p4', 'REMOVE', true],
    ]);
  });

  it('keeps a delete followed by a re-create as the re-create (order preserved, no upserts-then-deletes)', () => {
    const removed = productChange('p1', 'REMOVE');
    const recreated = productChange('p1', 'INSERT', { attributes: { name: 'again' } });
    const [write] = coalesce(planBatch([removed, recreated], options).writes);
    expect(write?.document).toMatchObject({ name: 'again' });
  });
});

describe('planBatch refuses what it cannot write, record by record', () => {
  const userChange = (sk: string) => productChange('u', 'INSERT', { keys: { pk: 'user#1', sk }, attributes: { pk: 'user#1', sk } });

  it("dead-letters records whose Keys name more attributes than the sync's key attributes instead of merging them", () => {
    // given: a pk,sk table indexed with the key attributes [pk]
    const changes = [userChange('profile'), userChange('order#1'), userChange('order#2')];
    // when
    const plan = planBatch(changes, { ...options, keyAttributes: ['pk'] });
    // then: three refusals naming both sets, nothing written
    expect(plan.writes).toEqual([]);
    expect(plan.poison.map((entry) => entry.reason)).toEqual(
      Array(3).fill(
        "stream record Keys has pk, sk but the sync's key attributes are pk: the table's key is pk, sk (partition key first); declare it in the sync definition (table.create), or set TABLE_NAME to the table of this stream",
      ),
    );
  });

  it("dead-letters records whose Keys lack one of the sync's key attributes", () => {
    const plan = planBatch([productChange('p1', 'INSERT', { keys: { pk: 'PRODUCT#p1' } })], options);
    expect(plan.poison.map((entry) => entry.reason)).toEqual([
      "stream record Keys has pk but the sync's key attributes are pk, sk: the table's key is pk (partition key first); declare it in the sync definition (table.create), or set TABLE_NAME to the table of this stream",
    ]);
  });

  it('in version mode, dead-letters a record without a valid version alone and plans the others', () => {
    // given
    const missing = productChange('p1', 'INSERT');
    const negative = productChange('p2', 'INSERT', { attributes: { ver: -1 } });
    const good = productChange('p3', 'INSERT', { attributes: { ver: 7 } });
    // when
    const plan = planBatch([missing, negative, good], { ...options, versionAttribute: 'ver' });
    // then
    expect(plan.poison).toEqual([
      expect.objectContaining({
        change: missing,
        reason: expect.stringMatching(/"newImage\.ver" must be a non-negative integer.*got nothing/),
      }),
      expect.objectContaining({
        change: negative,
        reason: expect.stringMatching(/"newImage\.ver" must be a non-negative integer.*got -1/),
      }),
    ]);
    expect(plan.writes).toEqual([expect.objectContaining({ change: good, order: expect.stringMatching(/^V0+70/) })]);
  });

  it('writes nothing of a change that fails half-way (a move whose new document is invalid)', () => {
    // given: a product becomes a review that does not fit the review schema
    const change = productChange('p1', 'MODIFY');
    const moved = { ...change, newImage: { ...change.newImage, entityType: 'review' } };
    // when
    const plan = planBatch([moved], optionsFor([productRoute, { ...reviewRoute, schema: z.object({ rating: z.number() }) }]));
    // then: no tombstone in products without the review it moved to
    expect(plan.writes).toEqual([]);
    expect(plan.poison).toEqual([expect.objectContaining({ reason: expect.stringContaining('rating') })]);
  });

  it('throws a programming error instead of blaming the record', () => {
    // given: a schema whose refinement has a bug
    const schema = z.object({}).superRefine(() => {
      throw new TypeError('cannot read properties of undefined');
    });
    // when
    const plan = () => planBatch([productChange('p1', 'INSERT')], optionsFor([{ ...productRoute, schema }]));
    // then
    expect(plan).toThrow(TypeError);
  });
});
