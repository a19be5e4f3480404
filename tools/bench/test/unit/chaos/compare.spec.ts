import { compareWithTable, documentKey, sameJson, type StoredDocument } from '../../../src/chaos/compare';

const live = (content: Record<string, number | string>): StoredDocument => ({ content, tombstone: false });
const tombstone: StoredDocument = { content: { pk: 'x' }, tombstone: true };

describe('compareWithTable', () => {
  it('passes when every live item matches and every deleted key is a tombstone or absent', () => {
    // given two live items and two deleted keys, the index in step
    const stored = new Map([
      [documentKey('p', 'a'), live({ n: 1 })],
      [documentKey('p', 'b'), live({ n: 2 })],
      [documentKey('p', 'gone1'), tombstone],
    ]);
    // when compared
    const result = compareWithTable(
      [
        { index: 'p', id: 'a', document: { n: 1 } },
        { index: 'p', id: 'b', document: { n: 2 } },
      ],
      [
        { index: 'p', id: 'gone1' },
        { index: 'p', id: 'gone2' },
      ],
      stored,
      new Set(),
    );
    // then nothing is lost, stale or resurrected
    expect(result).toMatchObject({ checked: 4, liveItems: 2, deletedKeys: 2, matching: 2, lost: 0, stale: 0, resurrected: 0 });
  });

  it('counts a missing document and a tombstone over a live item as lost', () => {
    const result = compareWithTable(
      [
        { index: 'p', id: 'a', document: { n: 1 } },
        { index: 'p', id: 'b', document: { n: 1 } },
      ],
      [],
      new Map([[documentKey('p', 'b'), tombstone]]),
      new Set(),
    );
    expect(result.lost).toBe(2);
    expect(result.examples.lost).toEqual(['p/a', 'p/b']);
  });

  it('counts a document that differs from the item as stale', () => {
    const result = compareWithTable(
      [{ index: 'p', id: 'a', document: { n: 2 } }],
      [],
      new Map([[documentKey('p', 'a'), live({ n: 1 })]]),
      new Set(),
    );
    expect(result).toMatchObject({ stale: 1, lost: 0, matching: 0 });
  });

  it('counts a deleted key that is live, or visible through the read alias, as resurrected', () => {
    const result = compareWithTable(
      [],
      [
        { index: 'p', id: 'a' },
        { index: 'p', id: 'b' },
      ],
      new Map([[documentKey('p', 'a'), live({ n: 1 })]]),
      new Set([documentKey('p', 'b')]),
    );
    expect(result.resurrected).toBe(2);
  });
});

describe('sameJson', () => {
  it('ignores key order but not array order or types', () => {
    expect(sameJson({ a: 1, b: [1, 2], c: { d: null } }, { c: { d: null }, b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ b: [1, 2] }, { b: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});
