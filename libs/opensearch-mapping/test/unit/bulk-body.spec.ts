import fc from 'fast-check';
import { buildBulkActions, bulkNdjson, splitByBytes } from '../../src/bulk-body';
import type { BulkAction, BulkWrite } from '../../src/bulk-body';
import { InvalidBulkLimitError } from '../../src/errors';
import type { WritePlan } from '../../src/write-plan';
import { aBulkWrite, anItemOfSize, streamKeyAt } from '../helpers/write-factories';

const create = (write: BulkWrite): WritePlan<BulkWrite> => ({ kind: 'create', write });

describe('buildBulkActions', () => {
  it('turns create and index-if plans into guarded actions and drops skips', () => {
    // given one plan of each kind
    const created = aBulkWrite({ id: 'c' });
    const updated = aBulkWrite({ id: 'u' });
    const skipped = aBulkWrite({ id: 's' });
    const plans: Array<WritePlan<BulkWrite>> = [
      create(created),
      { kind: 'index-if', write: updated, ifSeqNo: 9, ifPrimaryTerm: 2 },
      { kind: 'skip', write: skipped, storedOrder: streamKeyAt(1_800_000_000, 1n) },
    ];
    // when
    const lines = bulkNdjson(buildBulkActions(plans)).split('\n');
    // then two lines per written plan, and the body ends with a newline
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { create: { _index: 'products-write', _id: 'c', require_alias: true } },
      created.source,
      { index: { _index: 'products-write', _id: 'u', require_alias: true, if_seq_no: 9, if_primary_term: 2 } },
      updated.source,
    ]);
  });

  it('measures each action as the UTF-8 bytes of its two NDJSON lines', () => {
    // given a document with multi-byte characters
    const [action] = buildBulkActions([create(aBulkWrite({ source: { pk: 'a', name: 'Lámpara ☀' } }))]);
    // then bytes matches the NDJSON text, which is the action's own text (serialised once)
    expect(action?.bytes).toBe(Buffer.byteLength(bulkNdjson(action ? [action] : [])));
    expect(action?.ndjson).toBe(
      `${JSON.stringify({ create: { _index: 'products-write', _id: action?.write.id, require_alias: true } })}\n${JSON.stringify(action?.write.source)}\n`,
    );
  });

  it('writes the action line exactly as serialising the header object would, whatever the id', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 1 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (id, index, ifSeqNo, ifPrimaryTerm, create) => {
          // given a create or an index-if plan for any id and index name
          const write = aBulkWrite({ id, index });
          const plan: WritePlan<BulkWrite> = create ? { kind: 'create', write } : { kind: 'index-if', write, ifSeqNo, ifPrimaryTerm };
          // when
          const [action] = buildBulkActions([plan]);
          // then its first line is the header object's JSON
          const target = { _index: index, _id: id, require_alias: true };
          const header = create ? { create: target } : { index: { ...target, if_seq_no: ifSeqNo, if_primary_term: ifPrimaryTerm } };
          expect(action?.ndjson.split('\n')[0]).toBe(JSON.stringify(header));
        },
      ),
    );
  });

  it('renders NDJSON with a newline after every line', () => {
    const actions = buildBulkActions([create(aBulkWrite({ id: 'x', source: { pk: 'x' } }))]);
    expect(bulkNdjson(actions)).toBe('{"create":{"_index":"products-write","_id":"x","require_alias":true}}\n{"pk":"x"}\n');
  });
});

describe('splitByBytes', () => {
  const actionsOfSizes = (sizes: readonly number[]): BulkAction[] =>
    buildBulkActions(sizes.map((size, i) => create(aBulkWrite({ id: `d${i}`, source: anItemOfSize(size) }))));

  it('packs actions in order into chunks within the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(300), { maxLength: 30 }), fc.integer({ min: 150, max: 2000 }), (sizes, maxBytes) => {
        // given actions of random sizes
        const actions = actionsOfSizes(sizes);
        // when
        const { chunks, tooLarge } = splitByBytes(actions, maxBytes);
        // then every chunk fits, nothing is lost or reordered, and only oversized actions are set aside
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.reduce((sum, action) => sum + action.bytes, 0)).toBeLessThanOrEqual(maxBytes);
        }
        expect(chunks.flat().map((a) => a.write.id)).toEqual(actions.filter((a) => a.bytes <= maxBytes).map((a) => a.write.id));
        expect(tooLarge.map((a) => a.write.id)).toEqual(actions.filter((a) => a.bytes > maxBytes).map((a) => a.write.id));
      }),
    );
  });

  it('sets aside an action larger than the limit on its own, without sending it', () => {
    // given a small, a huge and a small action
    const actions = actionsOfSizes([10, 5000, 10]);
    // when
    const { chunks, tooLarge } = splitByBytes(actions, 1000);
    // then the huge one is reported, the others share one chunk
    expect(tooLarge.map((a) => a.write.id)).toEqual(['d1']);
    expect(chunks.map((chunk) => chunk.map((a) => a.write.id))).toEqual([['d0', 'd2']]);
  });

  it('returns no chunk for no actions', () => {
    expect(splitByBytes([], 100)).toEqual({ chunks: [], tooLarge: [] });
  });

  it.each([[0], [-5], [1.5], [Number.NaN]])('rejects the limit %p', (maxBytes) => {
    expect(() => splitByBytes([], maxBytes)).toThrow(InvalidBulkLimitError);
  });
});
