import { UnindexableAttributeNameError } from '../../src/errors';
import { assertIndexableAttributeNames, attributeNameProblem, RESERVED_FIELDS } from '../../src/field-names';

describe('attributeNameProblem', () => {
  it('reserves every metadata field the documents carry', () => {
    expect(RESERVED_FIELDS).toEqual(['ddbSync', 'ddbKeys']);
  });

  it.each([
    ['ddbSync', 'as the sync metadata field ddbSync'],
    ['ddbKeys', 'as the sync metadata field ddbKeys'],
    ['ddbSync.deleted', 'inside the sync metadata field ddbSync'],
    ['ddbSync.indexedAt', 'inside the sync metadata field ddbSync'],
    ['ddbKeys.pk', 'inside the sync metadata field ddbKeys'],
    ['ddbSync..order', 'inside the sync metadata field ddbSync'],
    ['.ddbKeys', 'as the sync metadata field ddbKeys'],
  ])('refuses the top-level attribute %s, naming it', (name, where) => {
    // when
    const problem = attributeNameProblem({ pk: 'a', [name]: true });
    // then
    expect(problem?.attribute).toBe(JSON.stringify(name));
    expect(problem?.reason).toContain(`would be stored ${where}`);
    expect(problem?.reason).toContain('rename the attribute');
  });

  it.each([
    ['a plain item', { pk: 'a', name: 'Lamp', dims: { w: 1, h: 2 }, tags: ['x'] }],
    ['a reserved name nested in a map (not a top-level field)', { pk: 'a', meta: { ddbSync: 1, 'ddbKeys.pk': 2 } }],
    ['names that only look alike', { pk: 'a', ddbSyncer: 1, 'ddbKeysX.y': 2, DDBSYNC: 3 }],
    ['dotted names that merge into one object without sharing a field', { pk: 'a', a: { b: 1 }, 'a.c': 2 }],
    ['the same field in every element of a list', { pk: 'a', lines: [{ 'x.y': 1 }, { 'x.y': 2 }] }],
  ])('accepts %s', (_what, item) => {
    expect(attributeNameProblem(item)).toBeUndefined();
  });

  it('refuses a dotted attribute that is the same field as another attribute, naming both', () => {
    // when
    const problem = attributeNameProblem({ pk: 'a', a: { b: 1 }, 'a.b': 2 });
    // then
    expect(problem).toEqual({
      attribute: '"a.b"',
      reason: 'attributes a.b and "a.b" would both be the field a.b (OpenSearch reads dotted names as object paths): rename one of them',
    });
  });

  it('refuses the collision in a nested map and in list elements', () => {
    expect(attributeNameProblem({ pk: 'a', m: { 'x.y': 1, x: { y: 2 } } })?.reason).toContain(
      'attributes m["x.y"] and m.x.y would both be the field m.x.y',
    );
    expect(attributeNameProblem({ pk: 'a', l: [{ 'x.y': 1 }, { x: { y: 2 } }] })?.reason).toContain(
      'attributes l[]["x.y"] and l[].x.y would both be the field l.x.y',
    );
  });

  it("refuses a dotted attribute that would sit inside another attribute's plain value", () => {
    // when
    const problem = attributeNameProblem({ pk: 'a', a: 1, 'a.b': 2 });
    // then
    expect(problem?.reason).toBe(
      'attribute "a.b" would be the field a.b, inside the plain value of attribute a (OpenSearch reads dotted names as object paths): rename one of them',
    );
  });
});

describe('assertIndexableAttributeNames', () => {
  it('throws UnindexableAttributeNameError with the attribute and the reason', () => {
    // when
    const assert = (): void => assertIndexableAttributeNames({ pk: 'a', 'ddbSync.deleted': true });
    // then
    expect(assert).toThrow(UnindexableAttributeNameError);
    expect(assert).toThrow(
      /^Unindexable attribute name: attribute "ddbSync\.deleted" would be stored inside the sync metadata field ddbSync/,
    );
  });

  it('passes for a plain item', () => {
    expect(() => assertIndexableAttributeNames({ pk: 'a', name: 'Lamp' })).not.toThrow();
  });
});
