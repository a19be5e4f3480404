import { bulkAllDone, mgetNotFound } from '../../src/null-endpoint';

describe('mgetNotFound', () => {
  it('answers every requested doc as not found, in order, with its index and id', () => {
    // given an _mget of two docs and one of ids against a default index
    const docs = mgetNotFound(
      JSON.stringify({
        docs: [
          { _index: 'a', _id: '1' },
          { _index: 'b', _id: '2' },
        ],
      }),
    );
    const ids = mgetNotFound(JSON.stringify({ ids: ['x'] }), 'c');
    // then
    expect(docs).toEqual({
      docs: [
        { _index: 'a', _id: '1', found: false },
        { _index: 'b', _id: '2', found: false },
      ],
    });
    expect(ids).toEqual({ docs: [{ _index: 'c', _id: 'x', found: false }] });
  });
});

describe('bulkAllDone', () => {
  it('answers each action in order, skipping the source lines of index/create/update but not of delete', () => {
    // given an NDJSON body mixing create, delete and index (delete has no source line)
    const body = [
      { create: { _index: 'i', _id: 'a' } },
      { delete: 'not an action' },
      { delete: { _index: 'i', _id: 'b' } },
      { index: { _index: 'i', _id: 'c', if_seq_no: 1, if_primary_term: 1 } },
      { x: 1 },
    ]
      .map((line) => `${JSON.stringify(line)}\n`)
      .join('');
    // when it is answered
    const response = bulkAllDone(body);
    // then three items: created, deleted, created; and no errors
    expect(response.errors).toBe(false);
    expect(
      response.items.map(
        (item) =>
          Object.entries(item).map(([operation, result]) => [
            operation,
            (result as { _id: string; status: number })._id,
            (result as { status: number }).status,
          ])[0],
      ),
    ).toEqual([
      ['create', 'a', 201],
      ['delete', 'b', 200],
      ['index', 'c', 201],
    ]);
  });
});
