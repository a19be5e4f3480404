import { productSchema } from '@ddb-os/schemas';
import { testRouting } from '@ddb-os/testing';
import { planItem, planRawItem, rawItemJson, validateForRoute, type PlanContext } from '../../src/item-plan';
import { productItem, reviewItem } from '../helpers/factories';

const products = { index: 'products', schema: productSchema, match: { attribute: 'entityType', equals: 'product' } } as const;
const context: PlanContext = testRouting({
  routes: [products, { index: 'misc', match: { attribute: 'entityType', equals: 'misc' } }],
});

describe('item planning', () => {
  it('routes a valid item and indexes the schema output (unknown attributes dropped), as the indexer does', () => {
    // given
    const item = productItem(1, { internalNote: 'not in the schema' });
    // when
    const plan = planItem(item, context);
    // then
    expect(plan).toMatchObject({
      kind: 'write',
      index: 'products',
      id: 'UFJPRFVDVCNwMQ.UFJPRFVDVA',
      keys: { pk: 'PRODUCT#p1', sk: 'PRODUCT' },
    });
    expect(plan.kind === 'write' && plan.document).not.toHaveProperty('internalNote');
    expect(plan.kind === 'write' && plan.item).toHaveProperty('internalNote');
  });

  it('reports an item that fails its schema as invalid, naming the fields', () => {
    // when
    const plan = planItem(productItem(2, { price: -5, name: '' }), context);
    // then
    expect(plan).toMatchObject({ kind: 'invalid', index: 'products', id: 'UFJPRFVDVCNwMg.UFJPRFVDVA' });
    expect(plan.kind === 'invalid' && plan.reason).toMatch(/schema of index "products": name: .*; price: /);
  });

  it('counts an item no route matches as unrouted', () => {
    expect(planItem(reviewItem(3), context)).toMatchObject({ kind: 'unrouted', id: 'UFJPRFVDVCNwMw.UkVWSUVXI3Iz' });
  });

  it('indexes a schema-less route as the item is, with exact numbers and sets as sorted arrays', () => {
    // given a raw AttributeValue item as Scan returns it
    const raw = {
      pk: { S: 'MISC#1' },
      sk: { S: 'MISC' },
      entityType: { S: 'misc' },
      big: { N: '123456789012345678901234567890' },
      colours: { SS: ['red', 'blue'] },
      blob: { B: Uint8Array.from([1, 2, 3]) },
    };
    // when
    const plan = planRawItem(raw, context);
    // then
    expect(plan).toMatchObject({
      kind: 'write',
      index: 'misc',
      document: { big: '123456789012345678901234567890', colours: ['blue', 'red'], blob: 'AQID' },
    });
  });

  it.each([
    ['ddbSync.deleted', { 'ddbSync.deleted': true }, 'attribute "ddbSync.deleted" would be stored inside the sync metadata field ddbSync'],
    ['ddbKeys.pk', { 'ddbKeys.pk': 'someone-else' }, 'attribute "ddbKeys.pk" would be stored inside the sync metadata field ddbKeys'],
    ['a colliding dotted name', { a: { b: 1 }, 'a.b': 2 }, 'attributes a.b and "a.b" would both be the field a.b'],
  ])("reports an item with %s as invalid for its index, with the index writer's reason", (_what, extra, reason) => {
    // when
    const plan = planItem({ pk: 'MISC#1', sk: 'MISC', entityType: 'misc', ...extra }, context);
    // then
    expect(plan).toMatchObject({ kind: 'invalid', index: 'misc', id: 'TUlTQyMx.TUlTQw' });
    expect(plan.kind === 'invalid' && plan.reason).toContain(`Unindexable attribute name: ${reason}`);
  });

  it('reports a Scan item with an attribute named __proto__ (its value lost by the SDK) as invalid, with its key', () => {
    // given the item as the SDK's parser returns it: the key is kept, the value is undefined
    const raw = { pk: { S: 'MISC#1' }, sk: { S: 'MISC' } } as Record<string, { S: string }>;
    Object.defineProperty(raw, '__proto__', { value: undefined, enumerable: true, writable: true, configurable: true });
    // when
    const plan = planRawItem(raw, context);
    // then
    expect(plan).toMatchObject({ kind: 'invalid', index: undefined, id: undefined, keys: { pk: 'MISC#1', sk: 'MISC' } });
    expect(plan.kind === 'invalid' && plan.reason).toContain('"__proto__"');
  });

  it("decodes numbers by the sync's policy, as the indexer does: a number no double holds is refused under numbers: reject", () => {
    // given an item whose number a double cannot hold exactly
    const raw = { pk: { S: 'MISC#2' }, sk: { S: 'MISC' }, entityType: { S: 'misc' }, big: { N: '12345678901234567890123' } };
    const strict: PlanContext = { ...context, numberPolicy: 'reject' };
    // when
    const lenient = planRawItem(raw, context);
    const refused = planRawItem(raw, strict);
    // then: the default keeps it exact as a string; reject makes it invalid, naming the attribute, never indexed rounded
    expect(lenient).toMatchObject({ kind: 'write', document: { big: '12345678901234567890123' } });
    expect(refused).toMatchObject({ kind: 'invalid', keys: { pk: 'MISC#2', sk: 'MISC' } });
    expect(refused.kind === 'invalid' && refused.reason).toMatch(/big/);
  });

  it('reports an item without its sort key as invalid', () => {
    const plan = planItem({ pk: 'PRODUCT#x', entityType: 'product' }, context);
    expect(plan).toMatchObject({ kind: 'invalid', index: undefined, reason: expect.stringMatching(/sk/) });
  });

  it('reports a route whose index the sync does not define', () => {
    const result = validateForRoute(productItem(1), { index: 'nope', match: { always: true } }, context.shapes);
    expect(result).toEqual({ ok: false, reason: 'index "nope" has no route in the sync definition' });
  });

  it("shapes the document with the route's transform (excluded attributes dropped, renamed ones under their new name), keys kept", () => {
    // given a sync whose products route excludes the description and renames the name
    const shaped = testRouting({
      routes: [{ ...products, transform: { exclude: ['description'], rename: { name: 'title' } } }],
    });
    // when
    const plan = planItem(productItem(4), shaped);
    // then
    expect(plan.kind).toBe('write');
    const document = plan.kind === 'write' ? plan.document : {};
    expect(document).toMatchObject({ pk: 'PRODUCT#p4', sk: 'PRODUCT', title: 'Lamp 4', price: 4 });
    expect(document).not.toHaveProperty('description');
    expect(document).not.toHaveProperty('name');
  });

  it('keeps a raw item readable in a failure record (binary as base64)', () => {
    expect(rawItemJson({ pk: { S: 'a' }, data: { B: Uint8Array.from([255]) }, ids: { BS: [Uint8Array.from([1])] } })).toEqual({
      pk: { S: 'a' },
      data: { B: '/w==' },
      ids: { BS: ['AQ=='] },
    });
  });
});
